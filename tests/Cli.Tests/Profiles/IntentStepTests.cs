using System.Text.RegularExpressions;
using Harness.Cli.Tests.Hardening;
using Harness.Core;
using Harness.TestSupport;
using Harness.VirtualDevice.Browsers;

namespace Harness.Cli.Tests.Profiles;

/// <summary>
/// Intent steps instead of typing: VIEW with the URL and WEB_SEARCH with the query go through `am start` on a virtual
/// phone, with words the phone's sh would otherwise split or expand (&amp;, quotes, spaces), and the resolved activity is checked.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class IntentStepTests
{
    private static string Repo => BuiltCli.FindRepositoryRoot();

    [Test]
    [CancelAfter(150_000)]
    public async Task Open_url_and_search_by_intent_with_shell_special_characters(CancellationToken ct)
    {
        await using var adb = await PrivateAdbServer.StartAsync(ct);
        await using var phone = await VirtualPhoneFixture.StartAsync(adb, "Redmi Note 8", ct);
        using var dir = new TempFolder("harness-intent");
        await phone.InstallBrowserAsync(BrowserCatalog.Find("mibrowser@12.1.4")!, ct);

        var shipped = File.ReadAllText(Path.Combine(Repo, "scenarios", "browsers", "mibrowser.yaml"));
        var byIntent = Regex.Replace(shipped, @"  open-url:\n(    .*\n|      .*\n)+", """
              open-url:
                - intent: { action: android.intent.action.VIEW, data: "{url}", package: self }
                - wait-for: [ { present: page-title }, { text-contains: address-bar, text: "{host}" } ]

            """.Replace("\r", ""));
        byIntent = Regex.Replace(byIntent, @"  search:\n(    .*\n|      .*\n)+", """
              search:
                - intent: { action: android.intent.action.WEB_SEARCH, extras: { query: "{term}" } }
                - wait-for: [ { present: page-title }, { text-contains: address-bar, text: "{term}" } ]

            """.Replace("\r", ""));
        Assert.That(byIntent, Does.Contain("- intent: { action: android.intent.action.WEB_SEARCH"), "the recipes were replaced");
        Directory.CreateDirectory(dir.Combine("profiles"));
        File.WriteAllText(dir.Combine("profiles", "mibrowser.yaml"), byIntent);

        var result = await BuiltCli.RunAsync(["profile", "check", phone.Serial, "--browser", "mibrowser", "--adb", "127.0.0.1:" + adb.Port,
            "--profiles", dir.Combine("profiles"), "--out", dir.Combine("out"), "--step-timeout", "5", "--action", "open-url", "--action", "search",
            "--url", "https://example.com/a?b=1&c='x'", "--term", "it's \"quoted\" & spaced"], TimeSpan.FromMinutes(2), Repo);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.AllPass), result.ToString());
        Assert.That(result.Stdout, Does.Contain("intent android.intent.action.VIEW data {url} to com.mi.globalbrowser"));
        Assert.That(result.Stdout, Does.Contain("open-url                   works").And.Contain("search                     works"));

        // Text `input text` cannot type: an intent carries it; typing it needs an input method the phone does not have.
        string[] Chinese(string profiles, string output) => ["profile", "check", phone.Serial, "--browser", "mibrowser", "--adb", "127.0.0.1:" + adb.Port,
            "--profiles", profiles, "--out", dir.Combine(output), "--step-timeout", "3", "--action", "search", "--term", "小米浏览器 隐私"];
        var byIntentChinese = await BuiltCli.RunAsync(Chinese(dir.Combine("profiles"), "zh-intent"), TimeSpan.FromMinutes(2), Repo);
        Assert.That(byIntentChinese.ExitCode, Is.EqualTo((int)ExitCode.AllPass), byIntentChinese.ToString());
        var typed = await BuiltCli.RunAsync(Chinese(Path.Combine(Repo, "scenarios", "browsers"), "zh-typed"), TimeSpan.FromMinutes(2), Repo);
        Assert.That(typed.ExitCode, Is.EqualTo((int)ExitCode.LeakFound), typed.ToString());
        Assert.That(typed.Stdout, Does.Contain("type \"{term}\"").And.Contain("FAILED"));
        Assert.That(typed.Stdout, Does.Contain("Install ADB Keyboard (package com.android.adbkeyboard").And.Contain("or give the recipe an intent step"), typed.ToString());
    }
}
