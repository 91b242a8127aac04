"""The prescription-processing simulator: the scenario list, the five-step player, debriefs,
pharmacist-check exercises, and the instructors' preview and authoring pages."""
