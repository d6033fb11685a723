"""{% figures_cache "name" vary... %}...{% endfigures_cache %}: a fragment rendered once per change.

For a part of a staff page that shows only what the figures generation covers (actions.figures_cache),
such as the register's filter form, whose selects list every person in a role, pillar, theme and
regulation (issue 15's profile: most of the register's time was rendering those options). The
fragment is kept in the "default" cache under the figures generation, today's date, the name and
the `vary` values (for the register, its query string, which sets the selected options and any
error): a change anywhere is seen by the next request, as for the cached selectors. Never for
anything that differs by viewer.
"""

from django import template
from django.utils.safestring import mark_safe

from actions.figures_cache import cached_fragment

register = template.Library()


class FiguresCacheNode(template.Node):
    def __init__(self, nodelist, name, vary, using=None):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.using = using

    def render(self, context):
        vary = [str(v.resolve(context)) for v in self.vary]
        html = cached_fragment(
            str(self.name.resolve(context)),
            {"vary": vary},
            lambda: self._render(context),
            request=context.get("request"),
        )
        return mark_safe(html)  # noqa: S308 -- what this template rendered, escaped as it rendered it

    def _render(self, context):
        if self.using is None:
            return self.nodelist.render(context)
        # `using figures`: a dict of the fragment's figures, given lazily by the view (a function or a
        # SimpleLazyObject), so they are computed only when the fragment is (a page served from the
        # cache never computes, nor unpickles, them).
        figures = self.using.resolve(context)
        with context.push(**dict(figures.items())):
            return self.nodelist.render(context)


@register.tag("figures_cache")
def figures_cache(parser, token):
    """{% figures_cache "name" vary... [using figures] %}...{% endfigures_cache %}"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a fragment name")
    using = None
    if len(bits) >= 4 and bits[-2] == "using":
        using = parser.compile_filter(bits[-1])
        bits = bits[:-2]
    nodelist = parser.parse(("endfigures_cache",))
    parser.delete_first_token()
    return FiguresCacheNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], using=using
    )
