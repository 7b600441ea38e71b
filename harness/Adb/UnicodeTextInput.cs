using System.Text;

namespace Harness.Adb;

/// <summary>
/// Types text `input text` cannot (anything beyond printable ASCII, e.g. a Chinese search term), through what the
/// phone has: ADB Keyboard (com.android.adbkeyboard, made the input method for the moment, its base64 broadcast), else
/// Clipper (ca.zgrs.clipper: the clipboard, then KEYCODE_PASTE). With neither it throws
/// <see cref="UnsupportedTextException"/> naming what to install, or to use an intent step.
/// </summary>
public static class UnicodeTextInput
{
    public const string AdbKeyboardIme = "com.android.adbkeyboard/.AdbIME";
    public const string ClipperPackage = "ca.zgrs.clipper";

    public static bool NeedsFallback(string text) => text.Any(c => c > 0x7E || c < 0x20);

    public static async Task TypeAsync(AdbClient client, string serial, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var imes = await client.ShellAsync(serial, ShellQuote.Join("ime", "list", "-s"), ct).ConfigureAwait(false);
        if (imes.Stdout.Split('\n').Any(l => l.Trim() == AdbKeyboardIme))
        {
            var previous = (await client.GetSettingAsync(serial, SettingsNamespace.Secure, "default_input_method", ct).ConfigureAwait(false))?.Trim();
            if (previous != AdbKeyboardIme) await Run(client, serial, ct, "ime", "set", AdbKeyboardIme).ConfigureAwait(false);
            try
            {
                await Run(client, serial, ct, "am", "broadcast", "-a", "ADB_INPUT_B64", "--es", "msg", Convert.ToBase64String(Encoding.UTF8.GetBytes(text))).ConfigureAwait(false);
            }
            finally
            {
                if (previous is { Length: > 0 } and not "null" && previous != AdbKeyboardIme) await Run(client, serial, CancellationToken.None, "ime", "set", previous).ConfigureAwait(false);
            }
            return;
        }
        var clipper = await client.GetPackageVersionAsync(serial, ClipperPackage, ct).ConfigureAwait(false);
        if (clipper is not null)
        {
            await Run(client, serial, ct, "am", "broadcast", "-a", "clipper.set", "-e", "text", text).ConfigureAwait(false);
            await Run(client, serial, ct, "input", "keyevent", "KEYCODE_PASTE").ConfigureAwait(false);
            return;
        }
        throw new UnsupportedTextException(
            $"cannot type \"{text}\" on {serial}: `input text` only types printable ASCII and the phone has no other way in. Install ADB Keyboard " +
            $"(package com.android.adbkeyboard; enable it with `adb -s {serial} shell ime enable {AdbKeyboardIme}`) or Clipper ({ClipperPackage}), " +
            "or give the recipe an intent step (e.g. search by android.intent.action.WEB_SEARCH with the query) instead of typing");
    }

    private static async Task Run(AdbClient client, string serial, CancellationToken ct, string command, params string[] arguments)
    {
        var line = ShellQuote.Join(command, arguments);
        var result = await client.ShellAsync(serial, line, ct).ConfigureAwait(false);
        var output = (result.Stdout + result.Stderr).Trim();
        if (!result.Succeeded || output.StartsWith("Error", StringComparison.Ordinal) || output.Contains("Exception", StringComparison.Ordinal))
            throw new AdbCommandFailedException(line, output.Length > 0 ? output : $"exit code {result.ExitCode}");
    }
}
