using Harness.VirtualDevice.Android;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class VirtualFileSystemTests
{
    private static VirtualFileSystem Seeded()
    {
        var fs = new VirtualFileSystem();
        fs.AddDirectory("/data/local/tmp", 0x1F9, 2000);
        fs.AddFile("/system/etc/security/cacerts/a.0", [1]);
        fs.AddFile("/apex/com.android.conscrypt/cacerts/a.0", [1]);
        return fs;
    }

    [Test]
    public void ShellUserWritesOnlyToItsAreas()
    {
        var fs = Seeded();
        fs.WriteFile("/data/local/tmp/x", [1], asRoot: false);
        Assert.That(Assert.Throws<VirtualFileSystemException>(() => fs.WriteFile("/data/x", [1], asRoot: false))!.Message, Is.EqualTo("Permission denied"));
        fs.WriteFile("/data/x", [1], asRoot: true);
        Assert.That(Assert.Throws<VirtualFileSystemException>(() => fs.WriteFile("/system/etc/security/cacerts/b.0", [1], asRoot: true))!.Message, Is.EqualTo("Read-only file system"));
    }

    [Test]
    public void TmpfsEmptiesAndOpensADirectoryAndBindMountsRedirect()
    {
        var fs = Seeded();
        fs.MountTmpfs("/system/etc/security/cacerts");
        Assert.That(fs.List("/system/etc/security/cacerts"), Is.Empty);
        fs.WriteFile("/system/etc/security/cacerts/b.0", [2], asRoot: true);
        fs.MountBind("/system/etc/security/cacerts", "/apex/com.android.conscrypt/cacerts");
        Assert.That(fs.List("/apex/com.android.conscrypt/cacerts").Select(e => e.Name), Is.EqualTo(new[] { "b.0" }));
        Assert.That(fs.ReadFile("/apex/com.android.conscrypt/cacerts/b.0"), Is.EqualTo(new byte[] { 2 }));
    }

    [Test]
    public void PathsAreNormalised()
    {
        Assert.That(VirtualFileSystem.Normalize("sdcard//a/./b/../c/"), Is.EqualTo("/sdcard/a/c"));
        Assert.That(VirtualFileSystem.Normalize("/.."), Is.EqualTo("/"));
    }

    [Test]
    public void LogFollowYieldsNewEntriesUntilCancelled()
    {
        var log = new LogBuffer();
        log.Write(1, 'I', "A", "old");
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();
        var follow = Task.Run(async () =>
        {
            await foreach (var e in log.FollowAsync(cts.Token))
            {
                seen.Add(e.Message);
                if (e.Message == "new") cts.Cancel();
            }
        });
        log.Write(1, 'I', "A", "new");
        Assert.That(follow.Wait(TimeSpan.FromSeconds(10)), Is.True, "follow ends when cancelled");
        Assert.That(seen, Is.EqualTo(new[] { "old", "new" }));
    }
}
