using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GovernanceDashboard.Components.Pages.Exposures;

/// <summary>Tells an analyst why a token cannot be revoked through its platform's API, and where to do it by hand.</summary>
public static class RevocationNotice
{
    public static Task ShowManualPathAsync(IDialogService dialogs, string mask, RevokeResult result)
    {
        var message = System.Net.WebUtility.HtmlEncode(result.Message ?? "This token cannot be revoked through its platform's API.");
        var link = result.ManualUrl is { } url
            ? $"<br/><br/>Revoke or rotate it on the platform (<a href=\"{System.Net.WebUtility.HtmlEncode(url)}\" target=\"_blank\" rel=\"noopener noreferrer\">{System.Net.WebUtility.HtmlEncode(url)}</a>), then record it with \"Record revocation or rotation\" on the token's page."
            : "<br/><br/>Revoke or rotate it on the platform, then record it on the token's page.";
        return dialogs.ShowMessageBoxAsync($"{mask}: revoke it by hand", new MarkupString(message + link), yesText: "OK");
    }
}
