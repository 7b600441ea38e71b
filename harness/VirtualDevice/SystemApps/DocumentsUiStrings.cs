namespace Harness.VirtualDevice.SystemApps;

/// <summary>The labels of the virtual file picker (DocumentsUI) in one language.</summary>
internal sealed record DocumentsUiStrings(string Recent, string Downloads, string NoItems, string ShowRoots, string InternalStorage, string Bytes)
{
    public static readonly DocumentsUiStrings English = new("Recent", "Downloads", "No items", "Show roots", "Internal storage", "B");
    public static readonly DocumentsUiStrings Spanish = new("Recientes", "Descargas", "No hay elementos", "Mostrar raíces", "Almacenamiento interno", "B");

    public static DocumentsUiStrings For(string language) => language == "es" ? Spanish : English;
}
