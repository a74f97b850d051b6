"""Training the models the product ships (`make train`); not imported at run time."""
