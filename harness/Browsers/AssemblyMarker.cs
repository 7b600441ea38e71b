namespace Harness.Browsers;

// Placeholder so the project builds before its first real type lands.
internal static class AssemblyMarker;
