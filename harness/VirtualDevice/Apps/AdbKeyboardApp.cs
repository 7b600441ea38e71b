namespace Harness.VirtualDevice.Apps;

/// <summary>
/// ADB Keyboard (github.com/senzhk/ADBKeyBoard, package com.android.adbkeyboard): an input method whose service, while
/// it is the current IME, receives the broadcast <c>ADB_INPUT_B64</c> with <c>msg</c> = base64 of UTF-8 text and
/// commits that text to the focused field. Installing it does not enable it: `ime enable` and `ime set` do (as on a
/// real phone). Its launcher screen only says so.
/// </summary>
public sealed class AdbKeyboardApp(VirtualAppContext context) : VirtualApp(context)
{
    public const string PackageId = "com.android.adbkeyboard";
    public const string ImeId = "com.android.adbkeyboard/.AdbIME";
    public const string Base64Action = "ADB_INPUT_B64";
    public const string TextAction = "ADB_INPUT_TEXT";

    public static VirtualAppKind Kind { get; } = new("adb-keyboard", ".KeyboardEditActivity", c => new AdbKeyboardApp(c));

    public static VirtualApkManifest Manifest(string versionName = "2.4-dev", long versionCode = 24) => new(PackageId, versionName, versionCode, "adb-keyboard");

    public override UiNode RenderUi() => new()
    {
        ClassName = "android.widget.FrameLayout",
        Bounds = new UiBounds(0, 0, Context.ScreenWidth, Context.ScreenHeight),
        Children =
        [
            new UiNode
            {
                ClassName = "android.widget.TextView", ResourceId = PackageId + ":id/hint",
                Text = "ADB Keyboard: enable it in Settings > Languages & input, or: adb shell ime enable " + ImeId,
                Bounds = new UiBounds(0, 66, Context.ScreenWidth, 300),
            },
        ],
    };
}
