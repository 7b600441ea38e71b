using System.Collections.Concurrent;

namespace Harness.VirtualDevice.Apps;

/// <summary>Registry from virtual-APK kind to app factory. New apps (the browsers) register here; the phone's core does not change.</summary>
public sealed class VirtualAppCatalog
{
    private readonly ConcurrentDictionary<string, VirtualAppKind> _kinds = new(StringComparer.Ordinal);

    /// <summary>A catalog with the apps this project ships: Settings and the file picker, the notes app and the three browsers.</summary>
    public static VirtualAppCatalog CreateDefault()
    {
        var catalog = new VirtualAppCatalog();
        catalog.Register(SystemApps.SettingsApp.Kind);
        catalog.Register(SystemApps.DocumentsUiApp.Kind);
        catalog.Register(SystemApps.PermissionControllerApp.Kind);
        catalog.Register(NotesApp.Kind);
        catalog.Register(AdbKeyboardApp.Kind);
        foreach (var kind in Browsers.BrowserCatalog.AppKinds()) catalog.Register(kind);
        return catalog;
    }

    public VirtualAppCatalog Register(VirtualAppKind kind)
    {
        _kinds[kind.Kind] = kind;
        return this;
    }

    public VirtualAppKind? Find(string kind) => _kinds.TryGetValue(kind, out var k) ? k : null;
    public IReadOnlyCollection<string> Kinds => _kinds.Keys.ToList();
}
