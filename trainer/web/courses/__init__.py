"""The learner's side of courses: catalog, course and module pages, knowledge checks, search."""
