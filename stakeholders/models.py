"""Step 2, stakeholder buy-in: models land with this step's issue."""
