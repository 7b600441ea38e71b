namespace Harness.VirtualDevice.Apps;

/// <summary>Screen rectangle [Left,Top][Right,Bottom] in pixels, right/bottom exclusive.</summary>
public readonly record struct UiBounds(int Left, int Top, int Right, int Bottom)
{
    public bool Contains(int x, int y) => x >= Left && x < Right && y >= Top && y < Bottom;
    public int CenterX => (Left + Right) / 2;
    public int CenterY => (Top + Bottom) / 2;
    public override string ToString() => $"[{Left},{Top}][{Right},{Bottom}]";
}
