"""The demo data of `manage.py seed_demo`: the stories (actions.demo.stories) and their replay (actions.demo.replay)."""
