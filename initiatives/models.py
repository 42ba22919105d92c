"""Step 3, implementation: models land with this step's issue."""
