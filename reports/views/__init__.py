"""Views of the reports app, by audience: public pages, the board dashboard, and the editorial pages."""
