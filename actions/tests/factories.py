import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from actions.choices import REFERENCE_PREFIXES, ActionType, Status
from actions.models import Action, Evidence, ProgressUpdate
from pillars.tests.factories import PillarFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=[Role.LEAD]) puts the user in those roles' groups."""
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=role.label) for role in extracted])


def unused_reference(action_type: str, n: int) -> str:
    """The sequence's next reference of the type, stepping over one a test has already used by name
    (a test that makes "MD-090" and then more actions would otherwise meet the sequence's MD-090)."""
    prefix = REFERENCE_PREFIXES[ActionType(action_type)]
    reference = f"{prefix}-{n + 1:03d}"
    while Action.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{prefix}-{n + 1:03d}"
    return reference


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    action_type = ActionType.MUST_DO
    reference = factory.LazyAttributeSequence(lambda a, n: unused_reference(a.action_type, n))
    title = factory.Sequence(lambda n: f"Improvement action {n + 1}")
    description = "What will be done and how we will know."
    pillar = factory.SubFactory(PillarFactory)
    owner = factory.SubFactory(UserFactory)
    executive_lead = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    original_due_date = factory.SelfAttribute("due_date")
    status = Status.NOT_STARTED
    percent_complete = factory.LazyAttribute(
        lambda a: 100 if a.status in (Status.COMPLETE, Status.ASSURED, Status.EMBEDDED) else 0
    )
    is_public = True
    # An assured action records its sign-off (a database constraint insists).
    assured_by = factory.Maybe(
        factory.LazyAttribute(lambda a: a.status in (Status.ASSURED, Status.EMBEDDED)),
        yes_declaration=factory.SubFactory(UserFactory),
        no_declaration=None,
    )
    assured_at = factory.Maybe(
        factory.LazyAttribute(lambda a: a.status in (Status.ASSURED, Status.EMBEDDED)),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )

    # An embedded action was ratified and reviewed (a database constraint insists).
    ratified_at = factory.Maybe(
        factory.LazyAttribute(lambda a: a.status == Status.EMBEDDED),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )
    embedded_by = factory.Maybe(
        factory.LazyAttribute(lambda a: a.status == Status.EMBEDDED),
        yes_declaration=factory.SubFactory(UserFactory),
        no_declaration=None,
    )
    embedded_at = factory.Maybe(
        factory.LazyAttribute(lambda a: a.status == Status.EMBEDDED),
        yes_declaration=factory.LazyFunction(timezone.now),
        no_declaration=None,
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The action's history says it stood in the state given here from its creation (created_at,
        # default now): past figures (actions.figures) read that record. A test that needs an action to
        # have existed in a past month gives it an earlier created_at.
        action = model_class(*args, **kwargs)
        action._history_date = action.created_at
        action.save()
        return action

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # A later save of this instance is dated when it happens, not at the creation.
        instance.__dict__.pop("_history_date", None)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SelfAttribute("action.owner")
    narrative = "Progress made this month."
    status = Status.ON_TRACK
    percent_complete = 50


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    action = factory.SubFactory(ActionFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"Evidence of completion.\n", name="report.txt"))
    original_name = "report.txt"
    content_type = "text/plain"
    size = 24
    sha256 = "0" * 64
    description = "Completion report"
    uploaded_by = factory.SelfAttribute("action.owner")
