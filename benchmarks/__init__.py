"""`manage.py bench`: measure.py times pages and loads, dataset.py builds the data set, report.py judges and prints."""
