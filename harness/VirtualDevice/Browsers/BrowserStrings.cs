namespace Harness.VirtualDevice.Browsers;

/// <summary>The browsers' labels in English, Spanish and Simplified Chinese, picked by the phone's persist.sys.locale.</summary>
public sealed record BrowserStrings(
    string AddressHint,
    string Menu,
    string Tabs,
    string Incognito,
    string NewTab,
    string NewIncognitoTab,
    string ExitIncognito,
    string Settings,
    string ClearBrowsingData,
    string IncognitoMode,
    string EnhancedIncognitoMode,
    string MiAccount,
    string NotSignedIn,
    string SignedInPrefix,
    string AccountId,
    string Password,
    string SignIn,
    string SignOut,
    string SyncHistory,
    string SearchEngine,
    string Clear,
    string Cancel,
    string ClearDataMessage,
    string CannotReach,
    string ConsentMessage,
    string Agree,
    string Disagree,
    string DefaultBrowserQuestion,
    string NotNow,
    string SetAsDefault,
    string RatingQuestion,
    string Later,
    string RateNow)
{
    public static readonly BrowserStrings English = new(
        "Search or type URL", "Menu", "Tabs", "Incognito", "New tab", "New incognito tab", "Exit incognito", "Settings",
        "Clear browsing data", "Incognito Mode", "Enhanced Incognito Mode", "Mi Account", "Not signed in", "Signed in: ",
        "Mi Account ID", "Password", "Sign in", "Sign out", "Sync browsing history", "Search engine", "Clear", "Cancel",
        "Clear history, cookies and cache?", "This site can't be reached",
        "To use the browser, agree to the User Agreement and the Privacy Policy", "Agree", "Disagree",
        "Set this browser as your default browser?", "Not now", "Set as default",
        "Enjoying the browser? Rate us", "Later", "Rate now");

    public static readonly BrowserStrings Spanish = new(
        "Buscar o escribir URL", "Menú", "Pestañas", "Incógnito", "Nueva pestaña", "Nueva pestaña de incógnito", "Salir de incógnito", "Ajustes",
        "Borrar datos de navegación", "Modo incógnito", "Modo incógnito mejorado", "Cuenta Mi", "Sin sesión iniciada", "Sesión iniciada: ",
        "ID de Cuenta Mi", "Contraseña", "Iniciar sesión", "Cerrar sesión", "Sincronizar historial", "Motor de búsqueda", "Borrar", "Cancelar",
        "¿Borrar historial, cookies y caché?", "No se puede acceder a este sitio web",
        "Para usar el navegador, acepta el Acuerdo de usuario y la Política de privacidad", "Aceptar", "Rechazar",
        "¿Establecer este navegador como predeterminado?", "Ahora no", "Establecer como predeterminado",
        "¿Te gusta el navegador? Valóranos", "Más tarde", "Valorar ahora");

    /// <summary>Simplified Chinese, as the MIUI China browser shows it on a zh-CN phone.</summary>
    public static readonly BrowserStrings Chinese = new(
        "搜索或输入网址", "菜单", "标签页", "无痕", "新标签页", "新建无痕标签页", "退出无痕模式", "设置",
        "清除浏览数据", "无痕模式", "增强无痕模式", "小米账号", "未登录", "已登录：",
        "小米账号 ID", "密码", "登录", "退出登录", "同步浏览记录", "搜索引擎", "清除", "取消",
        "清除历史记录、Cookie 和缓存？", "无法访问此网站",
        "使用浏览器前，请同意用户协议和隐私政策", "同意", "不同意",
        "将此浏览器设为默认浏览器？", "暂不", "设为默认",
        "喜欢这个浏览器吗？给我们评分", "以后再说", "立即评分");

    public static BrowserStrings For(string language) => language switch
    {
        "es" => Spanish,
        "zh" => Chinese,
        _ => English,
    };
}
