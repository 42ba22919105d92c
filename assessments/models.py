"""Step 1, needs assessment: models land with this step's issue."""
