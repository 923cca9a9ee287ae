"""HTTP routes, one module per area; each registers its handlers on `router`."""
