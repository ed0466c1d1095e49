# Emoji and emoticons: no language of their own (empty language list), so they
# never vote in language detection.
@
pos 1.5 | 😍 ; 🥰 ; 😘 ; 🤩 ; 😻 ; 💖 ; 💕 ; 💗 ; 💓 ; 💞 ; ❤ ; ♥ ; 💯 ; 🥳 ; 🎉
pos 1.2 | 👍 ; 👌 ; 😊 ; 😁 ; 😄 ; 😃 ; 😀 ; ☺ ; 🙂 ; 🤗 ; ✨ ; 🔥 ; 🌟 ; ⭐ ; 💪 ; 👏 ; 🙌 ; 😋 ; 🤤 ; 😎 ; 🫶 ; 🥹
pos 0.5 | 🙏 ; 🥲 ; 😆 ; 😂 ; 🤣
pos 1 | :) ; :-) ; :d ; =) ; (: ; ^^ ; ^_^ ; ^.^ ; <3 ; :p ; 10/10 ; 5/5 ; 5 sao ; 5 bintang ; 5 stars ; 5 star
neg 1.5 | 😡 ; 🤬 ; 😠 ; 👎 ; 💩 ; 🖕 ; 😤 ; 🤮 ; 🤢
neg 1.2 | 😞 ; 😔 ; 😢 ; 😭 ; 😩 ; 😫 ; 😒 ; 🙄 ; ☹ ; 🙁 ; 😕 ; 😣 ; 😖 ; 💔 ; 😿 ; 😓 ; 😥 ; 😑 ; 😐
neg 1 | :( ; :-( ; :'( ; t_t ; t.t ; -_- ; =( ; ): ; >:( ; 1 star ; 1/5 ; 0/10 ; 1/10 ; 1 bintang ; 1 sao
neu 0.6 | 😅 ; 🤔 ; 😶 ; 😬 ; 3/5 ; 3 stars ; 3 star ; 3 bintang ; 3 sao
