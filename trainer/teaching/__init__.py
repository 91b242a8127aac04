"""Teaching: item statistics, gradebook rules, class lists and join codes.

A pure package: plain data in, plain data out; no Flask, no database. The services in
trainer.services (cohorts, assignments, gradebook, item_analysis) load the rows and
call it.
"""
