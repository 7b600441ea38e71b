using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// The screen of a phone at one moment: its UI dump and screenshot, each null with the reason when the phone gave none.
/// </summary>
public sealed record ScreenCapture(UiHierarchy? Screen, byte[]? Png, string? DumpProblem, string? ScreenshotProblem);
