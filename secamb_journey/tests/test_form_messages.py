"""Every form in the project, sent empty and then with bad values: each error message is a sentence that
says how to fix it ("Enter why the due date needs to change", never "Enter why does the due date need to
change?")."""

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from actions.tests.factories import ActionFactory
from measures.tests.factories import MeasureFactory
from secamb_journey.forms import NHSDateField

# Words that tell the person what to do: a message without one only describes the fault.
FIX_WORDS = re.compile(
    r"\b(answer|enter|select|choose|upload|give|use|must|tick|type|say|ask|check|try|remove|leave|attach)\b", re.I
)
# A module, or a package whose modules are each read (actions/forms/).
FORM_MODULES = ("forms", "filters", "two_factor")
PROJECT_PACKAGES = {"actions", "measures", "reports", "themes", "pillars", "secamb_journey"}


def project_form_classes():
    """Each form class defined in one of the project's apps' form modules (not Django's or a package's)."""
    for config in apps.get_app_configs():
        # The project's own apps, by name: a path test would take in the virtualenv's packages, which live
        # inside the checkout on a fresh machine (Django's admin forms, django-otp's).
        if config.name.split(".")[0] not in PROJECT_PACKAGES:
            continue
        for module_name in FORM_MODULES:
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for each in [module, *submodules(module)]:
                for value in vars(each).values():
                    if isinstance(value, type) and issubclass(value, forms.BaseForm):
                        if value.__module__ == each.__name__:
                            yield value


def submodules(package):
    paths = getattr(package, "__path__", [])
    return [importlib.import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(paths)]


def build(form_class, data=None, files=None):
    kwargs = {}
    init = form_class.__init__
    names = init.__code__.co_varnames[: init.__code__.co_argcount + init.__code__.co_kwonlyargcount]
    if "action" in names:
        kwargs["action"] = ActionFactory()
    if "measure" in names:
        kwargs["measure"] = MeasureFactory()
    if form_class.__name__ == "SignInForm":
        return form_class(RequestFactory().post("/"), data=data)
    return form_class(data=data, files=files, **kwargs)


def bad_values(form) -> tuple[dict, dict]:
    """A wrong value for every field that can be given one."""
    data, files = {}, {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, NHSDateField):
            data.update({f"{key}_day": "31", f"{key}_month": "2", f"{key}_year": "26"})
        elif isinstance(field, forms.FileField):
            files[key] = SimpleUploadedFile("empty.pdf", b"")
        elif isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
            data[key] = ["not-a-choice"]
        elif isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
            data[key] = "not-a-choice"
        elif isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
            data[key] = "many"
        elif isinstance(field, forms.EmailField):
            data[key] = "not an address"
        elif isinstance(field, forms.CharField):
            data[key] = "x" * ((field.max_length or 10) + 1)
    return data, files


def problems_with(message: str) -> list[str]:
    found = []
    if not message[:1].isupper() and not message[:1].isdigit():
        found.append("does not start with a capital")
    if message.rstrip().endswith("?"):
        found.append("is a question")
    if re.search(r"\b(\w+)\s+\1\b", message, re.I):
        found.append("repeats a word")
    if not FIX_WORDS.search(message):
        found.append("does not say what to do")
    return found


@pytest.mark.django_db
def test_every_form_error_message_is_a_sentence_that_says_how_to_fix_it():
    classes = sorted(set(project_form_classes()), key=lambda c: f"{c.__module__}.{c.__name__}")
    assert len(classes) >= 20, [c.__name__ for c in classes]
    bad = []
    for form_class in classes:
        empty = build(form_class, data={}, files={})
        data, files = bad_values(empty)
        for form in (empty, build(form_class, data=data, files=files)):
            form.is_valid()
            for field, messages in form.errors.items():
                for message in messages:
                    for problem in problems_with(str(message)):
                        bad.append(f"{form_class.__name__}.{field}: {message!r} {problem}")
    assert not bad, "\n".join(sorted(set(bad)))


@pytest.mark.parametrize(
    ("message", "ok"),
    [
        ("Enter why the due date needs to change", True),
        ("Enter why does the due date need to change?", False),
        ("enter the value", False),
        ("Enter the the value", False),
        ("This field is required.", False),
    ],
)
def test_the_sentence_check_itself(message, ok):
    assert (problems_with(message) == []) is ok
