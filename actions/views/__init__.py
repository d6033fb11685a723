"""Staff pages of the actions app, one module per feature; actions/urls.py routes to them."""
