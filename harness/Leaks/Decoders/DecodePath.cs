namespace Harness.Leaks;

/// <summary>
/// How a payload was reached from its view, as an immutable linked list so that children share their parents' steps.
/// </summary>
public sealed class DecodePath
{
    private DecodePath(string view, DecodePath? parent, DecodeStep? step)
    {
        View = view;
        Parent = parent;
        Step = step;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    public string View { get; }
    public DecodePath? Parent { get; }
    public DecodeStep? Step { get; }
    public int Depth { get; }

    public static DecodePath Root(string view) => new(view, null, null);

    public DecodePath Then(string decoder, string label) => new(View, this, new DecodeStep(decoder, label));

    internal DecodePath Then(DecodeStep step) => new(View, this, step);

    public IReadOnlyList<DecodeStep> Steps
    {
        get
        {
            var steps = new DecodeStep[Depth];
            var p = this;
            for (var i = Depth - 1; i >= 0; i--, p = p.Parent!) steps[i] = p.Step!;
            return steps;
        }
    }

    public IReadOnlyList<string> Chain => Steps.Select(s => s.Decoder).ToArray();

    /// <summary>e.g. <c>body > form:data_list > base64 > gzip > json $.events[3].properties.url</c>.</summary>
    public string Location => string.Join(" > ", Steps.Select(s => s.Label).Prepend(View));

    public bool IsAncestorOf(DecodePath other)
    {
        for (var p = other.Parent; p is not null; p = p.Parent)
            if (ReferenceEquals(p, this)) return true;
        return false;
    }

    public override string ToString() => Location;
}
