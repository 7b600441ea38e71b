using System.Net;
using System.Xml.Linq;
using Harness.VirtualDevice.Android;
using Harness.VirtualDevice.Apps;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class ShellInterpreterTests
{
    [Test]
    public async Task UnknownCommandIsNotFoundWith127()
    {
        var r = await PhoneShell.Create().RunAsync("foo bar");
        Assert.That((r.Exit, r.Out, r.Err), Is.EqualTo((127, "", "/system/bin/sh: foo: not found\n")));
    }

    [Test]
    public async Task AndOrSequenceAndPipes()
    {
        var sh = PhoneShell.Create();
        Assert.That((await sh.RunAsync("false && echo no || echo yes; echo end")).Out, Is.EqualTo("yes\nend\n"));
        Assert.That((await sh.RunAsync("getprop | grep -i MODEL | head -n 1")).Out, Is.EqualTo("[ro.product.model]: [Redmi Note 8]\n"));
        Assert.That((await sh.RunAsync("sh -c 'echo inner; exit 4'")).Exit, Is.EqualTo(4));
        Assert.That((await sh.RunAsync("echo a > /data/local/tmp/f && echo b >> /data/local/tmp/f && cat /data/local/tmp/f")).Out, Is.EqualTo("a\nb\n"));
    }

    [Test]
    public async Task ACommandThatChokesOnItsArgumentsFailsWithoutKillingTheShell()
    {
        var r = await PhoneShell.Create().RunAsync("echo x | head -n notanumber; echo still here");
        Assert.That(r.Err, Does.StartWith("head: "));
        Assert.That((r.Exit, r.Out), Is.EqualTo((0, "still here\n")));
    }

    [Test]
    public async Task GetpropAndSettings()
    {
        var sh = PhoneShell.Create("Mi 10");
        Assert.That((await sh.RunAsync("getprop ro.build.version.sdk")).Out, Is.EqualTo("34\n"));
        Assert.That((await sh.RunAsync("getprop sys.boot_completed")).Out, Is.EqualTo("1\n"));
        Assert.That((await sh.RunAsync("settings get global http_proxy")).Out, Is.EqualTo("null\n"));
        await sh.RunAsync("settings put global http_proxy 127.0.0.1:8080");
        Assert.That((await sh.RunAsync("settings get global http_proxy")).Out, Is.EqualTo("127.0.0.1:8080\n"));
        Assert.That((await sh.RunAsync("settings delete global http_proxy")).Out, Is.EqualTo("Deleted 1 rows\n"));
        var id1 = (await sh.RunAsync("settings get secure android_id")).Out;
        Assert.That(id1, Does.Match("^[0-9a-f]{16}\n$"));
        Assert.That((await PhoneShell.Create("Mi 10").RunAsync("settings get secure android_id")).Out, Is.EqualTo(id1), "stable per phone");
        Assert.That((await PhoneShell.Create("Mi A1").RunAsync("settings get secure android_id")).Out, Is.Not.EqualTo(id1));
    }

    [Test]
    public async Task SuOnlyOnRootedProfiles()
    {
        var plain = await PhoneShell.Create("Redmi Note 8").RunAsync("su -c id");
        Assert.That((plain.Exit, plain.Err), Is.EqualTo((127, "/system/bin/sh: su: not found\n")));
        var rooted = PhoneShell.Create("Redmi K20");
        Assert.That((await rooted.RunAsync("su -c id")).Out, Does.StartWith("uid=0(root)"));
        Assert.That((await rooted.RunAsync("su 0 id")).Out, Does.StartWith("uid=0(root)"));
        Assert.That((await rooted.RunAsync("id")).Out, Does.StartWith("uid=2000(shell)"));
    }

    [Test]
    public async Task PackageLifecycleThroughPm()
    {
        var sh = PhoneShell.Create();
        sh.Android.FileSystem.WriteFile("/data/local/tmp/n.apk", VirtualApk.Build(NotesApp.Manifest("1.2", 12)), asRoot: false);
        Assert.That((await sh.RunAsync("pm install -r -t /data/local/tmp/n.apk")).Out, Is.EqualTo("Success\n"));
        Assert.That((await sh.RunAsync("pm list packages -3")).Out, Is.EqualTo("package:com.example.notes\n"));
        Assert.That((await sh.RunAsync("pm path com.example.notes")).Out, Does.Match(@"^package:/data/app/.+/base\.apk\n$"));
        Assert.That((await sh.RunAsync("cmd package resolve-activity --brief -c android.intent.category.LAUNCHER com.example.notes")).Out, Does.EndWith("com.example.notes/com.example.notes.MainActivity\n"));

        var start = await sh.RunAsync("am start -W -n com.example.notes/.MainActivity");
        Assert.That(start.Out, Does.Contain("LaunchState: COLD"));
        var pid = (await sh.RunAsync("pidof com.example.notes")).Out.Trim();
        Assert.That(int.Parse(pid), Is.GreaterThan(0));
        Assert.That((await sh.RunAsync("dumpsys activity activities | grep mResumedActivity")).Out, Does.Contain("com.example.notes/.MainActivity"));
        Assert.That((await sh.RunAsync("dumpsys window | grep mCurrentFocus")).Out, Does.Contain("com.example.notes/com.example.notes.MainActivity"));

        await sh.RunAsync("input tap 500 340");
        await sh.RunAsync("input text kept");
        await sh.RunAsync("input keyevent KEYCODE_ENTER");
        await sh.RunAsync("am force-stop com.example.notes");
        Assert.That((await sh.RunAsync("pidof com.example.notes")).Exit, Is.EqualTo(1));
        await sh.RunAsync("monkey -p com.example.notes -c android.intent.category.LAUNCHER 1");
        Assert.That(await SavedTextAsync(sh), Is.EqualTo("kept"), "app data survives force-stop");

        Assert.That((await sh.RunAsync("pm clear com.example.notes")).Out, Is.EqualTo("Success\n"));
        await sh.RunAsync("am start -n com.example.notes/.MainActivity");
        Assert.That(await SavedTextAsync(sh), Is.Empty, "pm clear wipes app data");

        Assert.That((await sh.RunAsync("pm uninstall com.example.notes")).Out, Is.EqualTo("Success\n"));
        Assert.That((await sh.RunAsync("dumpsys package com.example.notes")).Out, Does.Not.Contain("versionName="));
    }

    private static async Task<string?> SavedTextAsync(PhoneShell sh)
    {
        await sh.RunAsync("uiautomator dump /sdcard/d.xml");
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(sh.Android.FileSystem.ReadFile("/sdcard/d.xml")));
        return (string?)xml.Descendants("node").Single(n => (string?)n.Attribute("resource-id") == "com.example.notes:id/saved").Attribute("text");
    }

    [Test]
    public async Task InvalidApkIsRejected()
    {
        var sh = PhoneShell.Create();
        sh.Android.FileSystem.WriteFile("/data/local/tmp/x.apk", "PK not really"u8.ToArray(), asRoot: false);
        var r = await sh.RunAsync("pm install /data/local/tmp/x.apk");
        Assert.That(r.Out, Does.StartWith("Failure [INSTALL_FAILED_INVALID_APK: "));
        Assert.That(r.Exit, Is.EqualTo(1));
    }

    [Test]
    public async Task CmdPackageInstallReadsTheApkFromStdin()
    {
        var sh = PhoneShell.Create();
        var apk = VirtualApk.Build(NotesApp.Manifest("3.0", 30));
        var r = await sh.RunAsync($"cmd package 'install' -S {apk.Length}", stdin: apk);
        Assert.That(r.Out, Is.EqualTo("Success\n"));
        Assert.That(sh.Android.Packages.Get(NotesApp.PackageId)!.Manifest.VersionName, Is.EqualTo("3.0"));
    }

    [Test]
    public async Task InputTextTurnsPercentSIntoSpaceAndRejectsNonAscii()
    {
        var sh = PhoneShell.Create();
        await sh.Android.Packages.InstallAsync(VirtualApk.Build(NotesApp.Manifest()), CancellationToken.None);
        await sh.RunAsync("am start -n com.example.notes/.MainActivity");
        await sh.RunAsync("input tap 500 340");
        Assert.That((await sh.RunAsync("input text 'a%sb'")).Exit, Is.Zero);
        var bad = await sh.RunAsync("input text 'ñ'");
        Assert.That(bad.Exit, Is.Not.Zero);
        Assert.That(bad.Err, Does.Contain("NullPointerException"));
        var (root, _) = (sh.Android.Activities.Foreground!.App.RenderUi(), 0);
        Assert.That(root.DescendantsAndSelf().Single(n => n.ResourceId.EndsWith("note_input")).Text, Is.EqualTo("a b"));
    }

    [Test]
    public async Task NotesLabelsFollowTheLocale()
    {
        var sh = PhoneShell.Create();
        await sh.Android.Packages.InstallAsync(VirtualApk.Build(NotesApp.Manifest()), CancellationToken.None);
        sh.Android.SetProperty("persist.sys.locale", "es-ES");
        await sh.RunAsync("am start -n com.example.notes/.MainActivity");
        var dump = await sh.RunAsync("uiautomator dump /dev/tty", tty: true);
        Assert.That(dump.Out, Does.Contain("text=\"Guardar\""));
    }

    [Test]
    public async Task UiautomatorDevTtyNeedsATerminal()
    {
        var sh = PhoneShell.Create();
        var withTty = await sh.RunAsync("uiautomator dump /dev/tty", tty: true);
        Assert.That(withTty.Out, Does.StartWith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"));
        Assert.That(withTty.Out, Does.EndWith("</hierarchy>UI hierchary dumped to: /dev/tty\n"));
        var without = await sh.RunAsync("uiautomator dump /dev/tty", tty: false);
        Assert.That(without.Out, Does.Not.Contain("<hierarchy"));
        Assert.That(without.Err, Does.Contain("/dev/tty"));
    }

    [Test]
    public async Task CaInjectionWithTmpfsAndBindMountChangesTheSystemStoreOnAndroid14()
    {
        var sh = PhoneShell.Create("Mi 10");
        var before = sh.Android.SystemCaCertificates().Count;
        Assert.That(before, Is.GreaterThan(0));
        sh.Android.FileSystem.WriteFile("/data/local/tmp/c8750f0d.0", "-----BEGIN CERTIFICATE-----\nMITM\n-----END CERTIFICATE-----\n"u8.ToArray(), asRoot: false);
        Assert.That((await sh.RunAsync("cp /data/local/tmp/c8750f0d.0 /system/etc/security/cacerts/")).Err, Does.Contain("Read-only file system"));
        Assert.That((await sh.RunAsync("mount -t tmpfs tmpfs /system/etc/security/cacerts")).Err, Does.Contain("are you root"));

        var script = string.Join(" && ",
            "mkdir -p /data/local/tmp/ca-copy",
            "cp /apex/com.android.conscrypt/cacerts/* /data/local/tmp/ca-copy/",
            "mount -t tmpfs tmpfs /system/etc/security/cacerts",
            "mv /data/local/tmp/ca-copy/* /system/etc/security/cacerts/",
            "cp /data/local/tmp/c8750f0d.0 /system/etc/security/cacerts/",
            "chmod 644 /system/etc/security/cacerts/*",
            "nsenter --mount=/proc/612/ns/mnt -- /bin/mount --bind /system/etc/security/cacerts /apex/com.android.conscrypt/cacerts");
        var r = await sh.RunAsync($"su -c \"{script}\"", root: false);
        Assert.That((r.Exit, r.Err), Is.EqualTo((0, "")));
        var after = sh.Android.SystemCaCertificates();
        Assert.That(after.Select(c => c.Key), Does.Contain("c8750f0d.0"));
        Assert.That(after, Has.Count.EqualTo(before + 1));

        // Undoing it, as a session's restore does: the covered store comes back, a second umount has nothing to undo.
        var undo = await sh.RunAsync("su -c 'umount /apex/com.android.conscrypt/cacerts && umount /system/etc/security/cacerts'", root: false);
        Assert.That((undo.Exit, undo.Err), Is.EqualTo((0, "")));
        Assert.That(sh.Android.SystemCaCertificates().Select(c => c.Key).ToList(), Does.Not.Contain("c8750f0d.0").And.Count.EqualTo(before));
        Assert.That((await sh.RunAsync("su -c 'umount /system/etc/security/cacerts'", root: false)).Err, Does.Contain("Invalid argument"));
        Assert.That((await sh.RunAsync("umount /system/etc/security/cacerts")).Err, Does.Contain("Operation not permitted"));
    }

    [Test]
    public async Task ProcNetTcpListsRegisteredConnectionsInKernelFormat()
    {
        var sh = PhoneShell.Create("Redmi K20");
        using var v4 = sh.Android.TcpConnections.Register(new IPEndPoint(IPAddress.Loopback, 37001), new IPEndPoint(IPAddress.Parse("127.0.0.1"), 8080), uid: 10150);
        using var v6 = sh.Android.TcpConnections.Register(new IPEndPoint(IPAddress.IPv6Loopback, 37002), new IPEndPoint(IPAddress.IPv6Loopback, 443), uid: 10151);
        var tcp = (await sh.RunAsync("su -c 'cat /proc/net/tcp'")).Out.Split('\n');
        Assert.That(tcp[0], Does.StartWith("  sl  local_address rem_address   st"));
        Assert.That(tcp[1], Does.Match(@"^\s+0: 0100007F:9089 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 10150 "));
        var tcp6 = (await sh.RunAsync("su 0 cat /proc/net/tcp6")).Out.Split('\n');
        var denied = await sh.RunAsync("cat /proc/net/tcp");
        Assert.That((denied.Exit, denied.Err), Is.EqualTo((1, "cat: /proc/net/tcp: Permission denied\n")), "SELinux keeps the shell user out of /proc/net on Android 10+");
        Assert.That(tcp6[1], Does.Contain("00000000000000000000000001000000:908A 00000000000000000000000001000000:01BB 01"));
    }

    [Test]
    public async Task LogcatDumpIsThreadtimeAndClearEmptiesIt()
    {
        var sh = PhoneShell.Create();
        sh.Android.Log.Write(4321, 'W', "MyTag", "hello log");
        var dump = (await sh.RunAsync("logcat -d")).Out;
        Assert.That(dump, Does.Match(@"\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}  4321  4321 W MyTag   : hello log"));
        await sh.RunAsync("logcat -c");
        Assert.That((await sh.RunAsync("logcat -d")).Out, Does.Not.Contain("hello log"));
    }

    [Test]
    public async Task WmSizeDfAndLs()
    {
        var sh = PhoneShell.Create("Mi A1");
        Assert.That((await sh.RunAsync("wm size")).Out, Is.EqualTo("Physical size: 1080x1920\n"));
        Assert.That((await sh.RunAsync("df /data")).Out, Does.Contain(" /data\n"));
        Assert.That((await sh.RunAsync("ls /system/etc/security/cacerts | wc -l")).Out.Trim(), Is.EqualTo("3"));
        await sh.RunAsync("echo x > /sdcard/p && chmod 640 /sdcard/p");
        Assert.That((await sh.RunAsync("ls -l /sdcard/p")).Out, Does.StartWith("-rw-r----- 1 shell "));
        Assert.That((await sh.RunAsync("ls -ld /data/local/tmp")).Out, Does.StartWith("drwxrwx--x "));
        var missing = await sh.RunAsync("ls /nope");
        Assert.That((missing.Exit, missing.Err), Is.EqualTo((1, "ls: /nope: No such file or directory\n")));
    }
}
