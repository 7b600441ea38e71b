using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>An element that may be what a broken selector meant, with its score and the reasons for it (best first in a ranking).</summary>
public sealed record CandidateElement(UiElement Element, int Score, IReadOnlyList<string> Reasons)
{
    public override string ToString() => $"{UiTreeWriter.Describe(Element)} (score {Score}: {string.Join(", ", Reasons)})";
}
