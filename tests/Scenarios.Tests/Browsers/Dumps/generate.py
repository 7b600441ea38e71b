# Writes the uiautomator-format fixture dumps in this folder (one line, attributes in AccessibilityNodeInfoDumper order),
# from the screens of the UI contract (/tmp/prompts/ui-contract.md), in English and Spanish. Run: python3 generate.py
# Generates the recorded-style uiautomator dumps used as test fixtures (one line each, attributes in dumper order).
import os
from xml.sax.saxutils import quoteattr
PKG = 'com.mi.globalbrowser.mini'
OUT = os.path.dirname(os.path.abspath(__file__))
L = {
 'en': dict(hint='Search or type URL', menu='Menu', tabs='Tabs', incognito='Incognito', nit='New incognito tab', exit='Exit incognito',
            settings='Settings', clear='Clear browsing data', newtab='New tab', im='Incognito Mode', eim='Enhanced Incognito Mode',
            account='Mi Account', notsigned='Not signed in', sync='Sync browsing history', engine='Search engine', signin='Sign in',
            signout='Sign out', clearbtn='Clear', cancel='Cancel', title='Settings', confirm='Clear browsing data?', acct_id='Mi Account ID', pwd='Password'),
 'es': dict(hint='Buscar o escribir URL', menu='Menú', tabs='Pestañas', incognito='Incógnito', nit='Nueva pestaña de incógnito', exit='Salir de incógnito',
            settings='Ajustes', clear='Borrar datos de navegación', newtab='Nueva pestaña', im='Modo incógnito', eim='Modo incógnito mejorado',
            account='Cuenta Mi', notsigned='Sin sesión iniciada', sync='Sincronizar historial', engine='Motor de búsqueda', signin='Iniciar sesión',
            signout='Cerrar sesión', clearbtn='Borrar', cancel='Cancelar', title='Ajustes', confirm='¿Borrar datos de navegación?', acct_id='ID de Cuenta Mi', pwd='Contraseña'),
}
def n(cls, b, rid='', text='', desc='', clickable=False, checkable=False, checked=False, enabled=True, focusable=False,
      focused=False, scrollable=False, password=False, pkg=PKG, kids=()):
    return dict(cls=cls, b=b, rid=(rid if (':' in rid or not rid) else f'{pkg}:id/{rid}'), text=text, desc=desc, clickable=clickable,
                checkable=checkable, checked=checked, enabled=enabled, focusable=focusable or clickable, focused=focused,
                scrollable=scrollable, password=password, pkg=pkg, kids=list(kids))
def render(node, index):
    t = lambda v: 'true' if v else 'false'
    attrs = []
    if node['clickable'] and node['enabled'] and not node['text'] and not node['desc']:
        attrs.append(('NAF', 'true'))
    attrs += [('index', str(index)), ('text', node['text']), ('resource-id', node['rid']), ('class', node['cls']), ('package', node['pkg']),
              ('content-desc', node['desc']), ('checkable', t(node['checkable'])), ('checked', t(node['checked'])), ('clickable', t(node['clickable'])),
              ('enabled', t(node['enabled'])), ('focusable', t(node['focusable'])), ('focused', t(node['focused'])), ('scrollable', t(node['scrollable'])),
              ('long-clickable', 'false'), ('password', t(node['password'])), ('selected', 'false'), ('bounds', '[%d,%d][%d,%d]' % node['b'])]
    a = ' '.join(f'{k}={quoteattr(v)}' for k, v in attrs)
    if not node['kids']:
        return f'<node {a} />'
    return f'<node {a}>' + ''.join(render(k, i) for i, k in enumerate(node['kids'])) + '</node>'
def doc(root):
    return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">" + render(root, 0) + '</hierarchy>'
def frame(*kids):
    return n('android.widget.FrameLayout', (0, 0, 1080, 2340), kids=[n('android.widget.LinearLayout', (0, 80, 1080, 2340), kids=list(kids))])
def toolbar(l, url_text):
    return n('android.widget.LinearLayout', (0, 80, 1080, 236), kids=[
        n('android.widget.EditText', (120, 100, 780, 216), rid='url_bar', text=url_text, clickable=True),
        n('android.widget.ImageView', (24, 112, 108, 196), rid='incognito_indicator', desc=l['incognito']),
        n('android.widget.ImageButton', (800, 100, 916, 216), rid='tabs_button', desc=l['tabs'], clickable=True),
        n('android.widget.ImageButton', (940, 100, 1056, 216), rid='menu_button', desc=l['menu'], clickable=True)])
screens = {}
def home(l):
    headlines = ['Monsoon arrives early in Kerala', 'Stocks close higher on tech rally', 'New phone launches this week'] if l is L['en'] else \
                ['Llega el monzón antes de tiempo', 'La bolsa cierra al alza', 'Nuevo teléfono esta semana']
    feed = n('androidx.recyclerview.widget.RecyclerView', (0, 260, 1080, 2340), rid='news_feed', scrollable=True, kids=[
        n('android.widget.TextView', (24, 300 + i * 260, 1056, 520 + i * 260), rid='news_item', text=h, clickable=True) for i, h in enumerate(headlines)])
    return frame(toolbar(l, l['hint']), feed)
def page(l):
    return frame(toolbar(l, 'https://example.org/'),
                 n('android.widget.TextView', (24, 250, 1056, 330), rid='page_title', text='Example Domain'),
                 n('android.webkit.WebView', (0, 340, 1080, 2340), desc='Example Domain', focusable=True, scrollable=True))
def menu(l):
    items = [('menu_new_incognito_tab', l['nit']), ('menu_exit_incognito', l['exit']), ('menu_settings', l['settings']), ('menu_clear_data', l['clear'])]
    return n('android.widget.FrameLayout', (560, 1500, 1056, 2300), kids=[n('android.widget.ListView', (560, 1500, 1056, 2300), kids=[
        n('android.widget.TextView', (560, 1500 + i * 200, 1056, 1700 + i * 200), rid=r, text=t, clickable=True) for i, (r, t) in enumerate(items)])])
def settings(l):
    return frame(
        n('android.widget.TextView', (24, 100, 1056, 220), text=l['title']),
        n('android.widget.ScrollView', (0, 240, 1080, 2340), scrollable=True, kids=[n('android.widget.LinearLayout', (0, 240, 1080, 2000), kids=[
            n('android.widget.Switch', (0, 260, 1080, 420), rid='incognito_mode_switch', text=l['im'], clickable=True, checkable=True),
            n('android.widget.Switch', (0, 440, 1080, 600), rid='enhanced_incognito_switch', text=l['eim'], clickable=True, checkable=True, enabled=False),
            n('android.widget.TextView', (0, 620, 1080, 740), rid='account_row', text=l['account'], clickable=True),
            n('android.widget.TextView', (24, 740, 1056, 800), rid='account_status', text=l['notsigned']),
            n('android.widget.Switch', (0, 820, 1080, 980), rid='sync_switch', text=l['sync'], clickable=True, checkable=True, enabled=False),
            n('android.widget.LinearLayout', (0, 1000, 1080, 1160), rid='search_engine', clickable=True, kids=[
                n('android.widget.TextView', (24, 1020, 700, 1140), text=l['engine']),
                n('android.widget.TextView', (720, 1020, 1056, 1140), rid='search_engine_value', text='Google')]),
            n('android.widget.TextView', (0, 1180, 1080, 1340), rid='clear_data', text=l['clear'], clickable=True)])]))
def signin(l):
    return frame(
        n('android.widget.EditText', (24, 300, 1056, 420), rid='account_id_input', text=l['acct_id'], clickable=True),
        n('android.widget.EditText', (24, 460, 1056, 580), rid='password_input', text=l['pwd'], clickable=True, password=True),
        n('android.widget.Button', (24, 640, 1056, 760), rid='sign_in_button', text=l['signin'], clickable=True))
def account(l):
    return frame(n('android.widget.Button', (24, 640, 1056, 760), rid='sign_out_button', text=l['signout'], clickable=True))
def dialog(l):
    return n('android.widget.FrameLayout', (80, 900, 1000, 1400), kids=[
        n('android.widget.TextView', (120, 940, 960, 1100), rid='android:id/message', text=l['confirm']),
        n('android.widget.Button', (560, 1240, 760, 1360), rid='android:id/button2', text=l['cancel'], clickable=True),
        n('android.widget.Button', (780, 1240, 980, 1360), rid='android:id/button1', text=l['clearbtn'], clickable=True)])
def tabs(l):
    return frame(n('android.widget.Button', (24, 2100, 520, 2260), rid='new_tab', text=l['newtab'], clickable=True),
                 n('android.widget.Button', (560, 2100, 1056, 2260), rid='new_incognito_tab', text=l['nit'], clickable=True))
def launcher():
    return n('android.widget.FrameLayout', (0, 0, 1080, 2340), pkg='com.miui.home', kids=[
        n('android.widget.TextView', (100, 1800, 300, 2000), text='Mint Browser', desc='Mint Browser', clickable=True, pkg='com.miui.home')])
for lang, l in L.items():
    for name, fn in [('home', home), ('page', page), ('menu', menu), ('settings', settings), ('signin', signin), ('account', account), ('dialog', dialog), ('tabs', tabs)]:
        with open(os.path.join(OUT, f'mint-{name}.{lang}.xml'), 'w', encoding='utf-8') as f:
            f.write(doc(fn(l)))
with open(os.path.join(OUT, 'launcher.xml'), 'w', encoding='utf-8') as f:
    f.write(doc(launcher()))
