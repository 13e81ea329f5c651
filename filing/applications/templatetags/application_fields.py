from django import template

from filing.applications.widgets import field_row as render_field_row

register = template.Library()


@register.simple_tag(takes_context=True)
def field_row(context, f):
    """One field of a form section (applications/widgets.py); read-only where the page says."""
    return render_field_row(f, readonly=bool(context.get("readonly")))
