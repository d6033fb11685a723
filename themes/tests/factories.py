import factory

from themes.models import Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    number = factory.Sequence(lambda n: n + 101)
    short_name = factory.Sequence(lambda n: f"Theme {n + 1}")
    title = factory.Sequence(lambda n: f"A concern the trust must address, number {n + 1}")
    slug = factory.Sequence(lambda n: f"theme-{n + 1}")
