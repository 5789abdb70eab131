"""Developer tooling shipped with the package: catalogue building and generated references."""
