// Profiles and scripts share the YAML reading and source locations of the browser layer.
global using Harness.Browsers;
