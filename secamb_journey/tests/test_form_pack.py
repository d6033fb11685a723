"""The NHS.UK crispy pack, NHSFormMixin, NHSDateField, the nhsuk template tags and the page layout."""

import datetime
import posixpath
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from secamb_journey.forms import NHSDateField, NHSFormMixin


class DemoForm(NHSFormMixin, forms.Form):
    title = "Log progress"
    submit_text = "Save progress"

    summary = forms.CharField(label="Summary", max_length=20, help_text="One line")
    narrative = forms.CharField(label="What has happened", widget=forms.Textarea, help_text="Plain words")
    pillar = forms.ChoiceField(label="Pillar", choices=[("", "Choose a pillar"), ("1", "Culture"), ("2", "Safety")])
    status = forms.ChoiceField(
        label="Status", choices=[("on_track", "On track"), ("at_risk", "At risk")], widget=forms.RadioSelect
    )
    themes = forms.MultipleChoiceField(
        label="Themes", choices=[("a", "Response times"), ("b", "Culture")], widget=forms.CheckboxSelectMultiple
    )
    confirm = forms.BooleanField(label="I have checked the evidence", help_text="Tick to confirm")
    due_date = NHSDateField(label="Due date", help_text="For example, 15 3 2026")
    evidence = forms.FileField(label="Evidence file")
    note = forms.CharField(label="Note", required=False)


def render_form(form, **extra):
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form, **extra}))


def invalid_demo_form():
    form = DemoForm(data={"summary": "x" * 25, "due_date_day": "31", "due_date_month": "2", "due_date_year": "2026"})
    assert not form.is_valid()
    return form


def opening_tag(html, element_id):
    """The opening tag of the element with this id (attributes in any order)."""
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


# --- Rendering ----------------------------------------------------------------------------------


def test_every_kind_of_field_has_its_label_and_hint():
    html = render_form(DemoForm())

    for label in ("Summary", "What has happened", "Pillar", "Status", "Themes", "I have checked the evidence"):
        assert label in html
    assert '<label class="nhsuk-label" for="id_summary">Summary</label>' in html
    assert '<legend class="nhsuk-fieldset__legend">Status</legend>' in html
    assert '<legend class="nhsuk-fieldset__legend">Due date</legend>' in html
    assert '<div class="nhsuk-hint" id="id_summary-hint">One line</div>' in html
    assert 'id="id_confirm-hint">Tick to confirm</div>' in html
    assert "Note (optional)" in html
    # Each widget has its NHS.UK class.
    assert 'class="nhsuk-input"' in opening_tag(html, "id_summary")
    assert 'class="nhsuk-textarea"' in opening_tag(html, "id_narrative")
    assert 'class="nhsuk-select"' in opening_tag(html, "id_pillar")
    assert 'class="nhsuk-radios__input"' in opening_tag(html, "id_status")
    assert 'class="nhsuk-checkboxes__input"' in opening_tag(html, "id_themes")
    assert 'class="nhsuk-checkboxes__input"' in opening_tag(html, "id_confirm")
    assert 'class="nhsuk-file-upload__input"' in opening_tag(html, "id_evidence")
    assert 'data-module="nhsuk-radios"' in html and 'data-module="nhsuk-checkboxes"' in html
    # An unbound form has no error summary and no error styling.
    assert "nhsuk-error-summary" not in html
    assert "nhsuk-form-group--error" not in html


def test_form_posts_with_csrf_and_an_nhs_button_saying_the_submit_text(rf):
    request = rf.get("/")
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": DemoForm(), "csrf_token": "token-for-test", "request": request})
    )

    assert re.search(r'<form[^>]* method="post"[^>]* enctype="multipart/form-data" novalidate>', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'<button class="nhsuk-button"[^>]*type="submit"[^>]*>Save progress</button>', html)


def test_radios_and_checkboxes_number_their_ids_from_the_field_id():
    form = DemoForm(data={"status": "at_risk", "themes": ["b"]})
    html = render_form(form)

    assert 'id="id_status" name="status" type="radio" value="on_track">' in html
    assert 'id="id_status-2" name="status" type="radio" value="at_risk" checked>' in html
    assert 'id="id_themes-2" name="themes" type="checkbox" value="b" checked>' in html
    assert '<label class="nhsuk-label nhsuk-radios__label" for="id_status-2">At risk</label>' in html


def test_date_input_renders_day_month_year_boxes():
    form = DemoForm(initial={"due_date": datetime.date(2026, 3, 15)})
    html = render_form(form)

    assert '<div class="nhsuk-date-input" id="id_due_date">' in html
    for part, value, width in (("day", "15", 2), ("month", "3", 2), ("year", "2026", 4)):
        tag = opening_tag(html, f"id_due_date_{part}")
        assert f'name="due_date_{part}"' in tag
        assert f'value="{value}"' in tag
        assert 'inputmode="numeric"' in tag
        assert f"nhsuk-input--width-{width}" in tag and "nhsuk-date-input__input" in tag
        assert f'<label class="nhsuk-label nhsuk-date-input__label" for="id_due_date_{part}">' in html
    assert re.search(r'<fieldset class="nhsuk-fieldset" role="group" aria-describedby="id_due_date-hint">', html)


def test_invalid_form_shows_each_error_by_its_field_and_in_the_summary():
    form = invalid_demo_form()
    html = render_form(form)

    # The summary: focusable, announced, with every error linked to the box it is about.
    summary = html[html.index('<div class="nhsuk-error-summary"') : html.index("</ul>")]
    assert 'data-module="nhsuk-error-summary"' in summary
    assert 'tabindex="-1"' in summary
    assert 'role="alert"' in summary
    assert "There is a problem" in summary
    expected_links = {
        "id_summary": "Summary must be 20 characters or fewer",
        "id_narrative": "Enter what has happened",
        "id_pillar": "Select pillar",
        "id_status": "Select status",
        "id_themes": "Select themes",
        "id_confirm": "Select I have checked the evidence",
        "id_due_date_day": "Enter a real date, for example 15 3 2026",
        "id_evidence": "Select evidence file",
    }
    for anchor, message in expected_links.items():
        assert f'<a href="#{anchor}">{message}</a>' in summary
        assert f'id="{anchor}"' in html, "the summary must link to an element that exists"

    # Inline: the error group, the message with its hidden prefix, and the box described by hint and error.
    assert html.count("nhsuk-form-group nhsuk-form-group--error") >= len(expected_links)
    assert (
        '<span class="nhsuk-error-message" id="id_summary-error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>Summary must be 20 characters or fewer</span>'
    ) in html
    summary_input = opening_tag(html, "id_summary")
    assert 'aria-describedby="id_summary-hint id_summary-error"' in summary_input
    assert "nhsuk-input--error" in summary_input
    assert "nhsuk-textarea--error" in opening_tag(html, "id_narrative")
    assert "nhsuk-select--error" in opening_tag(html, "id_pillar")
    assert 'aria-describedby="id_status-error"' in html  # the radios' fieldset
    assert 'aria-describedby="id_due_date-hint id_due_date-error"' in html  # the date's fieldset
    assert "nhsuk-input--error" in opening_tag(html, "id_due_date_year")
    # A valid optional field is not marked as an error.
    assert 'id="id_note-error"' not in html


def test_non_field_errors_are_in_the_summary_linked_to_the_first_field():
    class StaleForm(NHSFormMixin, forms.Form):
        summary = forms.CharField(label="Summary")

        def clean(self):
            raise forms.ValidationError("Someone else changed this action while you were editing it")

    form = StaleForm(data={"summary": "Updated"})
    html = render_form(form)

    assert '<a href="#id_summary">Someone else changed this action while you were editing it</a>' in html


def test_no_maxlength_attribute_reaches_the_page():
    class StockForm(forms.Form):  # without the mixin: the pack itself drops maxlength
        name = forms.CharField(max_length=10)

    assert "maxlength" not in render_form(DemoForm())
    assert "maxlength" not in render_form(invalid_demo_form())
    assert "maxlength" not in Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": StockForm()})
    )


def test_crispy_filter_renders_fields_and_summary_without_a_form_tag():
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": invalid_demo_form()}))

    assert "<form" not in html
    assert "nhsuk-error-summary" in html
    assert 'id="id_summary-error"' in html


def test_valid_demo_form_cleans_every_field():
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    form = DemoForm(
        data={
            "summary": "12 call handlers",
            "narrative": "Recruitment finished in March.",
            "pillar": "1",
            "status": "on_track",
            "themes": ["a", "b"],
            "confirm": "on",
            "due_date_day": "15",
            "due_date_month": "3",
            "due_date_year": "2026",
        },
        files={"evidence": upload},
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == datetime.date(2026, 3, 15)
    assert form.cleaned_data["themes"] == ["a", "b"]


# --- NHSDateField -------------------------------------------------------------------------------


class DueDateForm(forms.Form):
    due_date = NHSDateField(label="Due date")


def due_date_errors(day, month, year):
    form = DueDateForm(data={"due_date_day": day, "due_date_month": month, "due_date_year": year})
    form.is_valid()
    return form.errors.get("due_date", [])


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("15", "3", "2026", datetime.date(2026, 3, 15)),
        (" 01 ", "03", "2026", datetime.date(2026, 3, 1)),
        ("29", "2", "2028", datetime.date(2028, 2, 29)),
        ("15", "March", "2026", datetime.date(2026, 3, 15)),
        ("15", "mar", "2026", datetime.date(2026, 3, 15)),
    ],
)
def test_date_field_reads_day_month_and_year(day, month, year, expected):
    form = DueDateForm(data={"due_date_day": day, "due_date_month": month, "due_date_year": year})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [("31", "2", "2026"), ("29", "2", "2026"), ("0", "3", "2026"), ("15", "13", "2026"), ("x", "3", "2026")],
)
def test_date_field_refuses_a_date_that_does_not_exist(day, month, year):
    assert due_date_errors(day, month, year) == ["Enter a real date, for example 15 3 2026"]


def test_date_field_says_which_part_is_missing():
    assert due_date_errors("15", "3", "") == ["Due date must include a year"]
    assert due_date_errors("", "", "2026") == ["Due date must include a day and month"]


def test_date_field_asks_for_a_four_digit_year():
    assert due_date_errors("15", "3", "26") == ["Year must include 4 numbers"]


def test_date_field_required_and_optional():
    assert due_date_errors("", "", "") == ["Enter the due date"]

    class OptionalDateForm(forms.Form):
        review_date = NHSDateField(label="Review date", required=False)

    form = OptionalDateForm(data={})
    assert form.is_valid()
    assert form.cleaned_data["review_date"] is None


@pytest.mark.django_db
def test_model_form_date_field_becomes_an_nhs_date_input():
    from actions.models import Action

    class DueDateModelForm(NHSFormMixin, forms.ModelForm):
        class Meta:
            model = Action
            fields = ["due_date"]

    form = DueDateModelForm(data={"due_date_day": "1", "due_date_month": "4", "due_date_year": "2026"})

    assert isinstance(form.fields["due_date"], NHSDateField)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == datetime.date(2026, 4, 1)
    assert 'id="id_due_date_day"' in render_form(form)


# --- Template tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "colour", "label"),
    [
        ("on_track", "green", "On track"),
        ("at_risk", "orange", "At risk"),
        ("assured", "purple", "Assured"),
        ("embedded", "blue", "Embedded"),
    ],
)
def test_status_tag_shows_the_words_in_the_status_colour(status, colour, label):
    html = Template("{% load action_status %}{% status_tag value %}").render(Context({"value": status}))

    assert html == f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{label}</strong>'


def test_pagination_keeps_the_filters_in_every_link():
    request = RequestFactory().get("/actions/", {"status": "at_risk", "pillar": "2", "page": "5"})
    page_obj = Paginator(range(200), 10).page(5)
    html = Template("{% load nhsuk %}{% pagination page_obj %}").render(
        Context({"page_obj": page_obj, "request": request})
    )

    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in html
    links = re.findall(r'href="\?([^"]+)"', html)
    assert links, "no page links"
    for query in links:
        assert "status=at_risk" in query and "pillar=2" in query
    assert 'class="nhsuk-pagination__previous" rel="prev"' in html
    assert "page=4" in html and "page=6" in html and "page=20" in html
    assert re.search(r'aria-label="Page 5" aria-current="page">5</a>', html)
    assert "nhsuk-pagination__item--ellipsis" in html


def test_pagination_shows_nothing_for_a_single_page():
    page_obj = Paginator(range(5), 10).page(1)

    assert "nhsuk-pagination" not in Template("{% load nhsuk %}{% pagination page_obj %}").render(
        Context({"page_obj": page_obj})
    )


def test_breadcrumbs_link_the_pages_above_with_a_back_link_to_the_last():
    html = Template('{% load nhsuk %}{% breadcrumbs "Home" "/" "Action register" "/actions/" %}').render(Context())

    assert '<a class="nhsuk-breadcrumb__link" href="/actions/">Action register</a>' in html
    assert '<a class="nhsuk-back-link" href="/actions/"><span class="nhsuk-u-visually-hidden">Back to </span>' in html


# --- Pages --------------------------------------------------------------------------------------


def test_base_layout_has_no_inline_script_or_style():
    html = render_to_string("base.html", {"service_name": "Improvement Journey"})

    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert 'style="' not in html and "<style" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/js/app.mjs">']
    assert '<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">' in html
    assert 'id="maincontent"' in html


def test_messages_show_as_notification_banners():
    html = render_to_string(
        "base.html",
        {"messages": [Message(message_levels.SUCCESS, "Progress saved"), Message(message_levels.INFO, "Hi")]},
    )

    assert "nhsuk-notification-banner nhsuk-notification-banner--success" in html
    assert 'role="alert" aria-labelledby="nhsuk-notification-banner-title-1"' in html
    assert "Progress saved" in html
    assert 'role="region" aria-labelledby="nhsuk-notification-banner-title-2"' in html


def test_500_page_renders_with_an_empty_context():
    html = render_to_string("500.html", {})

    assert "Sorry, there is a problem with the service" in html
    assert "<title>Sorry, there is a problem with the service – Improvement tracker</title>" in html
    assert "Sign in" not in html  # no account links: they need the URLs and the user


def test_locked_out_page_says_for_how_long():
    html = render_to_string("registration/locked_out.html", {"cooloff_timedelta": datetime.timedelta(minutes=15)})

    assert "Your account is locked for 15 minutes after too many failed sign-in attempts" in html
    assert "ask an administrator to unlock it" in html


@pytest.mark.django_db
def test_anonymous_visitor_sees_sign_in_and_public_links_only(client):
    response = client.get("/accessibility/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<title>Accessibility statement – Improvement tracker</title>" in html
    assert 'href="/accounts/login/">Sign in</a>' in html
    assert 'href="/updates/">Progress updates</a>' in html
    assert "Action register" not in html and "Dashboard" not in html
    for footer_link in ('href="/accessibility/"', 'href="/open-data/"'):
        assert footer_link in html
    assert "How we tested this service" in html
    assert "WCAG" in html and "Equality Advisory and Support Service" in html


@pytest.mark.django_db
def test_signed_in_owner_sees_their_name_sign_out_and_staff_links(client, owner):
    client.force_login(owner)
    html = client.get("/accessibility/").content.decode()

    assert "Priya Shah" in html
    assert re.search(
        r'<form class="nhsuk-header__account-form" action="/accounts/logout/" method="post" novalidate>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert "Sign out</button>" in html
    assert 'href="/actions/">Action register</a>' in html
    assert 'href="/actions/mine/">My actions</a>' in html
    assert "Dashboard" not in html  # owners do not see the board dashboard


def test_header_marks_the_section_the_page_is_in(rf):
    request = rf.get("/actions/mine/")
    html = render_to_string(
        "includes/header.html", {"request": request, "nav": {"staff": True, "actions": True, "dashboard": True}}
    )

    assert re.search(r'href="/actions/mine/" aria-current="page">', html)
    assert re.search(r'href="/actions/">Action register</a>', html)  # the register is not current
    assert 'href="/dashboard/">Dashboard</a>' in html


@pytest.mark.django_db
def test_sign_in_page_has_its_button_and_error_title_with_the_stock_form(client):
    page = client.get("/accounts/login/").content.decode()
    assert "<title>Sign in – Improvement tracker</title>" in page
    assert re.search(r'<button class="nhsuk-button"[^>]*type="submit"[^>]*>Sign in</button>', page)

    refused = client.post("/accounts/login/", {"username": "nobody", "password": "wrong-password"}).content.decode()
    assert "<title>Error: Sign in – Improvement tracker</title>" in refused
    assert 'class="nhsuk-error-summary"' in refused
    assert '<a href="#id_username">' in refused


def test_form_page_include_puts_the_summary_above_the_heading_once():
    html = render_to_string("includes/form.html", {"form": invalid_demo_form(), "caption": "MD-01"})

    assert html.count('class="nhsuk-error-summary"') == 1
    assert html.index('class="nhsuk-error-summary"') < html.index('<h1 class="nhsuk-heading-l">')
    assert '<span class="nhsuk-caption-l">MD-01' in html and "Log progress</h1>" in html


def test_app_script_imports_initall_from_the_nhsuk_frontend_static_file():
    script = Path(finders.find("js/app.mjs")).read_text()
    imported = re.search(r"import \{ initAll \} from '([^']+)'", script).group(1)
    # Resolved against js/app.mjs, as the browser resolves it against /static/js/app.mjs.
    library = finders.find(posixpath.normpath(posixpath.join("js", imported)))

    assert library, f"{imported} is not a static file"
    assert re.search(r"export\{[^}]*\binitAll\b", Path(library).read_text())
    assert "nhsuk-frontend-supported" in script  # NHS.UK components start only when the body says so


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (999, "999"), (12345, "12,345"), ("2500", "2,500"), (None, "None")]
)
def test_thousands_groups_counts_with_commas(value, shown):
    from secamb_journey.templatetags.nhsuk import thousands

    assert thousands(value) == shown
