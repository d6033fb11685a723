"""Staff pages of the actions app, one module per feature; actions/urls.py and urls_committees.py route to them."""
