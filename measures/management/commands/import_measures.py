"""manage.py import_measures PATH: CSV slug,name,unit,improvement,target,baseline_points,screen_outliers,public.

Every row is checked first; a file with one bad row is refused whole, naming the row and the problem,
and nothing of it is stored.
"""

from measures.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import measures from CSV (slug,name,unit,improvement,target,baseline_points,screen_outliers,public)"
    expect = "measures"
