namespace Harness.Adb.Ui;

public readonly record struct UiPoint(int X, int Y);
