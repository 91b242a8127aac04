"""Test data factories, one module per area of the site."""
