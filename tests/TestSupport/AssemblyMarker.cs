namespace Harness.TestSupport;

internal static class AssemblyMarker;
