"""manage.py import_measure_values PATH: CSV columns measure,period,value[,rebase][,note] (DESIGN.md).

Every row is checked first; a file with one bad row is refused whole, naming the row and the problem,
and nothing of it is stored.
"""

from measures.management.commands._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import measure values from CSV (measure,period,value[,rebase][,note]); changed values are corrected"
    expect = "values"
