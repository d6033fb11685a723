"""Governance (issue 13): due-date revisions, committees and their decisions, embedded, reopening, and
the regulatory mapping. The data is carried over in 0004.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0005_actions_internal_by_default'),
        ('pillars', '0001_initial'),
        ('themes', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ActionReopening',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reopened_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('reason', models.TextField()),
                ('previous_status', models.CharField(choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('complete', 'Complete, awaiting assurance'), ('assured', 'Assured'), ('embedded', 'Embedded')], max_length=20)),
                ('status', models.CharField(choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('complete', 'Complete, awaiting assurance'), ('assured', 'Assured'), ('embedded', 'Embedded')], max_length=20)),
            ],
            options={
                'ordering': ['-reopened_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Committee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('description', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='CommitteeDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('put_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decision', models.CharField(choices=[('pending', 'Awaiting decision'), ('ratified', 'Ratified'), ('returned', 'Returned')], default='pending', max_length=20)),
                ('reason', models.TextField(blank=True, help_text='Why the committee returned it.')),
                ('minute_reference', models.CharField(blank=True, max_length=100)),
                ('recorded_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['meeting__date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DueDateRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('previous_due_date', models.DateField()),
                ('new_due_date', models.DateField()),
                ('reason', models.TextField()),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('state', models.CharField(choices=[('requested', 'Requested'), ('agreed', 'Agreed'), ('refused', 'Refused')], default='requested', max_length=20)),
                ('decided_on', models.DateField(blank=True, null=True)),
                ('refusal_reason', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['requested_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAction_regulations',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalAction_regulations',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['-date', 'committee__name'],
            },
        ),
        migrations.CreateModel(
            name='Regulation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(help_text='For example 12, or 20A.', max_length=4, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('order', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['order', 'number'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='action',
            name='action_status_valid',
        ),
        migrations.RemoveConstraint(
            model_name='action',
            name='action_done_is_100_percent',
        ),
        migrations.RemoveConstraint(
            model_name='action',
            name='action_assured_has_signoff',
        ),
        migrations.RemoveConstraint(
            model_name='progressupdate',
            name='progress_status_valid',
        ),
        migrations.AddField(
            model_name='action',
            name='core_service',
            field=models.CharField(blank=True, choices=[('emergency_urgent_care', 'Emergency and urgent care'), ('emergency_operations_centres', 'Emergency operations centres'), ('nhs_111', 'NHS 111'), ('resilience', 'Resilience'), ('patient_transport', 'Patient transport')], max_length=30, verbose_name='core service'),
        ),
        migrations.AddField(
            model_name='action',
            name='cqc_finding',
            field=models.TextField(blank=True, help_text='What the CQC found, in its words.', verbose_name='CQC finding'),
        ),
        migrations.AddField(
            model_name='action',
            name='embedded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='action',
            name='embedded_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='embedded_actions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='action',
            name='key_question',
            field=models.CharField(blank=True, choices=[('safe', 'Safe'), ('effective', 'Effective'), ('caring', 'Caring'), ('responsive', 'Responsive'), ('well_led', 'Well-led')], max_length=20, verbose_name='key question'),
        ),
        migrations.AddField(
            model_name='action',
            name='original_due_date',
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='action',
            name='ratified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='action',
            name='reopened_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='action',
            name='source',
            field=models.CharField(blank=True, help_text='Where the finding comes from, for example the section 29A warning notice of 10 September 2021.', max_length=300),
        ),
        migrations.AddField(
            model_name='action',
            name='sustainability_review_due',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='evidence',
            name='kind',
            field=models.CharField(choices=[('completion', 'Evidence of completion'), ('sustainability', 'Evidence of sustained change')], default='completion', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='core_service',
            field=models.CharField(blank=True, choices=[('emergency_urgent_care', 'Emergency and urgent care'), ('emergency_operations_centres', 'Emergency operations centres'), ('nhs_111', 'NHS 111'), ('resilience', 'Resilience'), ('patient_transport', 'Patient transport')], max_length=30, verbose_name='core service'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='cqc_finding',
            field=models.TextField(blank=True, help_text='What the CQC found, in its words.', verbose_name='CQC finding'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='embedded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='embedded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='key_question',
            field=models.CharField(blank=True, choices=[('safe', 'Safe'), ('effective', 'Effective'), ('caring', 'Caring'), ('responsive', 'Responsive'), ('well_led', 'Well-led')], max_length=20, verbose_name='key question'),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='original_due_date',
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='ratified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='reopened_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='source',
            field=models.CharField(blank=True, help_text='Where the finding comes from, for example the section 29A warning notice of 10 September 2021.', max_length=300),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='sustainability_review_due',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='kind',
            field=models.CharField(choices=[('completion', 'Evidence of completion'), ('sustainability', 'Evidence of sustained change')], default='completion', max_length=20),
        ),
        migrations.AlterField(
            model_name='action',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('complete', 'Complete, awaiting assurance'), ('assured', 'Assured'), ('embedded', 'Embedded')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalaction',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('complete', 'Complete, awaiting assurance'), ('assured', 'Assured'), ('embedded', 'Embedded')], default='not_started', max_length=20),
        ),
        migrations.AlterField(
            model_name='progressupdate',
            name='status',
            field=models.CharField(choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('complete', 'Complete, awaiting assurance'), ('assured', 'Assured'), ('embedded', 'Embedded')], max_length=20),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['not_started', 'on_track', 'at_risk', 'off_track', 'complete', 'assured', 'embedded'])), name='progress_status_valid'),
        ),
        migrations.AddField(
            model_name='actionreopening',
            name='action',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reopenings', to='actions.action'),
        ),
        migrations.AddField(
            model_name='actionreopening',
            name='reopened_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='committeedecision',
            name='action',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_decisions', to='actions.action'),
        ),
        migrations.AddField(
            model_name='committeedecision',
            name='put_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='committeedecision',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='duedaterevision',
            name='action',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='due_date_revisions', to='actions.action'),
        ),
        migrations.AddField(
            model_name='duedaterevision',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='due_date_revisions_decided', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='duedaterevision',
            name='requested_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='due_date_revisions_requested', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalaction_regulations',
            name='action',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.action'),
        ),
        migrations.AddField(
            model_name='historicalaction_regulations',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='actions.historicalaction'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='committee',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='actions.committee'),
        ),
        migrations.AddField(
            model_name='committeedecision',
            name='meeting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='actions.meeting'),
        ),
        migrations.AddField(
            model_name='historicalaction_regulations',
            name='regulation',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='actions.regulation'),
        ),
        migrations.AddField(
            model_name='action',
            name='regulations',
            field=models.ManyToManyField(blank=True, help_text='The regulations breached (Health and Social Care Act 2008 (Regulated Activities) Regulations 2014).', related_name='actions', to='actions.regulation'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['not_started', 'on_track', 'at_risk', 'off_track', 'complete', 'assured', 'embedded'])), name='action_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ('complete', 'assured', 'embedded')), _negated=True), ('percent_complete', 100), _connector='OR'), name='action_done_is_100_percent'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ('assured', 'embedded')), _negated=True), models.Q(('assured_by__isnull', False), ('assured_at__isnull', False)), _connector='OR'), name='action_assured_has_signoff'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'embedded'), _negated=True), models.Q(('ratified_at__isnull', False), ('embedded_by__isnull', False), ('embedded_at__isnull', False)), _connector='OR'), name='action_embedded_has_review'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('key_question__in', ['', 'safe', 'effective', 'caring', 'responsive', 'well_led'])), name='action_key_question_valid'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('core_service__in', ['', 'emergency_urgent_care', 'emergency_operations_centres', 'nhs_111', 'resilience', 'patient_transport'])), name='action_core_service_valid'),
        ),
        migrations.AddIndex(
            model_name='actionreopening',
            index=models.Index(fields=['reopened_at'], name='reopening_at_idx'),
        ),
        migrations.AddConstraint(
            model_name='actionreopening',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='reopening_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='actionreopening',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['at_risk', 'off_track'])), name='reopening_to_at_risk_or_off_track'),
        ),
        migrations.AddIndex(
            model_name='duedaterevision',
            index=models.Index(fields=['action', 'requested_at'], name='revision_action_requested_idx'),
        ),
        migrations.AddConstraint(
            model_name='duedaterevision',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['requested', 'agreed', 'refused'])), name='revision_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='duedaterevision',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='revision_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='duedaterevision',
            constraint=models.CheckConstraint(condition=models.Q(('state', 'requested'), models.Q(('decided_by__isnull', False), ('decided_on__isnull', False)), _connector='OR'), name='revision_decided_has_who_and_when'),
        ),
        migrations.AddConstraint(
            model_name='duedaterevision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'refused'), _negated=True), models.Q(('refusal_reason', ''), _negated=True), _connector='OR'), name='revision_refusal_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='duedaterevision',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'requested')), fields=('action',), name='revision_one_open_per_action'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.UniqueConstraint(fields=('committee', 'date'), name='meeting_one_per_committee_day'),
        ),
        migrations.AddIndex(
            model_name='committeedecision',
            index=models.Index(fields=['decision', 'meeting'], name='decision_pending_meeting_idx'),
        ),
        migrations.AddConstraint(
            model_name='committeedecision',
            constraint=models.CheckConstraint(condition=models.Q(('decision__in', ['pending', 'ratified', 'returned'])), name='decision_valid'),
        ),
        migrations.AddConstraint(
            model_name='committeedecision',
            constraint=models.CheckConstraint(condition=models.Q(('decision', 'pending'), models.Q(('recorded_by__isnull', False), ('recorded_at__isnull', False), models.Q(('minute_reference', ''), _negated=True)), _connector='OR'), name='decision_recorded_has_who_when_minute'),
        ),
        migrations.AddConstraint(
            model_name='committeedecision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('decision', 'returned'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='decision_returned_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='committeedecision',
            constraint=models.UniqueConstraint(fields=('action', 'meeting'), name='decision_one_per_action_meeting'),
        ),
        migrations.AddConstraint(
            model_name='committeedecision',
            constraint=models.UniqueConstraint(condition=models.Q(('decision', 'pending')), fields=('action',), name='decision_one_pending_per_action'),
        ),
    ]
