"""Step 4, evaluation: models land with this step's issue."""
