namespace Harness.Browsers;

/// <summary>One fact about the screen, e.g. "incognito-indicator present" or "account-status text contains 'Signed in'".</summary>
/// <param name="Text">Only for <see cref="ConditionKind.TextContains"/>; may hold placeholders such as <c>{account}</c>.</param>
public sealed record UiCondition(ConditionKind Kind, ElementSelector Selector, LocalizedText? Text)
{
    public override string ToString() => Kind switch
    {
        ConditionKind.TextContains => $"{Selector.Name} text contains {Text}",
        _ => $"{Selector.Name} {Kind.ToString().ToLowerInvariant()}",
    };
}
