"""Faults of the pinned Decap CMS (tools/decap/package-lock.json) that lose a clerk's work, break the editor or put
English before a clerk, mended in its built bundle as the bundle is copied into admin/ (Decap offers no setting or hook
for them).

Each mend names the minified text it replaces. A Decap upgrade changes that text: then the copy stops with an error
naming the mend, so that whoever upgrades checks whether Decap has fixed the fault and re-derives or drops the mend
(the source it comes from is tools/decap/node_modules/decap-cms-core/src and decap-cms-widget-markdown/src).
"""

from __future__ import annotations

# (file of the bundle, what goes wrong, minified text, mended text)
FIXES = [
    ("decap-cms.js",
     # Editor.componentDidUpdate asks 「发现了一个对应此内容的本地备份…」 the moment the backup is read from IndexedDB,
     # which is usually before the entry itself arrives (an existing one is fetched, a new one waits for its media
     # folder's listing); the entry then replaces the restored draft, and the clerk sees the template or the saved file
     # instead of what they typed (decaporg/decap-cms #5055, #6989). Asked only once both are there, restoring comes last.
     "offered backup overwritten by the entry loading after it",
     'componentDidUpdate(e){if(!e.localBackup&&this.props.localBackup&&(window.confirm(',
     'componentDidUpdate(e){if(!(e.localBackup&&e.entryDraft.getIn(["entry","collection"]))&&this.props.localBackup'
     '&&this.props.entryDraft.getIn(["entry","collection"])&&(window.confirm('),
    ("decap-cms.js",
     # Pasted HTML's <img> becomes an image node without the `data` its renderer reads, and the whole editor fails
     # (「程序发生了一个错误」 and a stack trace). Images go into a notice as attachments, never into its text: a pasted
     # one is dropped like the file:/// images Word pastes, and editor.js tells the clerk so.
     "pasted <img> crashes the rich-text editor",
     'IMG:e=>{const t=D4(e.getAttribute("src"),{allowDataImage:!0});return t?{type:"image",url:t}:null}',
     'IMG:()=>null'),
    # A refused save's toast reads 「保存内容失败: API_ERROR: …」: Decap puts the error itself in the message, whose
    # text begins with its class's English name. The server's words (why the save was refused, in Chinese) suffice.
    ("decap-cms.js",
     "a refused save's toast begins with API_ERROR",
     'message:{key:"ui.toast.onFailToPersist",details:t}',
     'message:{key:"ui.toast.onFailToPersist",details:t.message||t}'),
    ("decap-cms.js",
     "a refused save's toast begins with API_ERROR (editorial workflow)",
     'message:{details:n,key:"ui.toast.onFailToPersist"}',
     'message:{details:n.message||n,key:"ui.toast.onFailToPersist"}'),
]


class BundleChanged(RuntimeError):
    """The Decap bundle is not the one these mends were written for."""


def mended(name: str, data: bytes) -> bytes:
    """The bundle file `name` with its mends made; each must match exactly once."""
    text = None
    for file, fault, old, new in FIXES:
        if file != name:
            continue
        text = data.decode("utf-8") if text is None else text
        if text.count(old) != 1:
            raise BundleChanged(f"tools/decap: {name} is not the bundle the mend for “{fault}” was written for "
                                f"(generator/tools/decap_fixes.py): check whether Decap fixed it, then redo or drop it")
        text = text.replace(old, new)
    return data if text is None else text.encode("utf-8")
