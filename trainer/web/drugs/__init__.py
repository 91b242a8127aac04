"""The drug reference pages for learners: search by name, class, schedule or look-alike partner."""
