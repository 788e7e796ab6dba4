//! Strings shared by every page.

crate::catalogue! {
    /// Strings shared by every page.
    pub enum Text {
        AppName { en: "Dodo Upsell", id: "Dodo Upsell", hi: "Dodo Upsell" },
        SkipToContent { en: "Skip to content", id: "Langsung ke konten", hi: "सामग्री पर जाएँ" },
        FooterSecure { en: "Payments are processed securely by Dodo Payments.", id: "Pembayaran diproses dengan aman oleh Dodo Payments.", hi: "भुगतान Dodo Payments द्वारा सुरक्षित रूप से प्रोसेस किए जाते हैं।" },
        HomeTitle { en: "Offers after the first sale", id: "Penawaran setelah penjualan pertama", hi: "पहली बिक्री के बाद के ऑफ़र" },
        HomeIntro { en: "One-click upsells, cross-sells and plan changes for Dodo Payments merchants.", id: "Upsell sekali klik, cross-sell, dan perubahan paket untuk merchant Dodo Payments.", hi: "Dodo Payments के व्यापारियों के लिए एक क्लिक वाले अपसेल, क्रॉस-सेल और प्लान बदलाव।" },
        HomeModeSandbox { en: "Running against the built-in Dodo sandbox: no real money moves.", id: "Berjalan dengan sandbox Dodo bawaan: tidak ada uang sungguhan yang berpindah.", hi: "बिल्ट-इन Dodo सैंडबॉक्स पर चल रहा है: कोई असली पैसा नहीं लगता।" },
        TourTitle { en: "Try the three flows", id: "Coba ketiga alurnya", hi: "तीनों प्रक्रियाएँ आज़माएँ" },
        TourBuyTitle { en: "Buy, then see the post-purchase offer", id: "Beli, lalu lihat penawaran setelah pembelian", hi: "खरीदें, फिर खरीद के बाद का ऑफ़र देखें" },
        TourBuyBody { en: "Buy a product on the sandbox checkout and pay with the test card", id: "Beli produk di checkout sandbox dan bayar dengan kartu uji", hi: "सैंडबॉक्स चेकआउट पर कोई उत्पाद खरीदें और टेस्ट कार्ड से भुगतान करें" },
        TourBuyCardHint { en: "(any future expiry, any CVC): you come back to the one-click offer that follows a purchase.", id: "(masa berlaku kapan saja di masa depan, CVC apa saja): Anda kembali ke penawaran sekali klik setelah pembelian.", hi: "(भविष्य की कोई भी समाप्ति तिथि, कोई भी CVC): इसके बाद आप खरीद के बाद वाले एक क्लिक ऑफ़र पर लौटेंगे।" },
        TourPlanTitle { en: "Change a subscription plan", id: "Ubah paket langganan", hi: "सदस्यता का प्लान बदलें" },
        TourPlanBody { en: "Open a demo subscriber's signed link to compare plans, see Dodo's exact preview of what a switch costs now, and confirm it.", id: "Buka tautan bertanda tangan milik pelanggan demo untuk membandingkan paket, melihat pratinjau pasti dari Dodo tentang biaya perubahan saat ini, lalu mengonfirmasinya.", hi: "प्लान की तुलना करने, बदलाव की अभी की सटीक लागत का Dodo पूर्वावलोकन देखने और उसकी पुष्टि करने के लिए किसी डेमो सदस्य का साइन किया हुआ लिंक खोलें।" },
        TourPlanLink { en: "Open the plan-change demo", id: "Buka demo perubahan paket", hi: "प्लान बदलाव का डेमो खोलें" },
        TourCrossTitle { en: "Recommend more to an existing customer", id: "Rekomendasikan lebih banyak kepada pelanggan lama", hi: "मौजूदा ग्राहक को और उत्पाद सुझाएँ" },
        TourCrossBody { en: "A demo customer who bought the course earlier opens a signed cross-sell link: products related to what they own, each one click on their saved card.", id: "Pelanggan demo yang sebelumnya membeli kursus membuka tautan cross-sell bertanda tangan: produk yang terkait dengan yang sudah dimilikinya, masing-masing sekali klik dengan kartu tersimpannya.", hi: "पहले कोर्स खरीद चुका एक डेमो ग्राहक साइन किया हुआ क्रॉस-सेल लिंक खोलता है: उसके पास मौजूद चीज़ों से जुड़े उत्पाद, हर एक उसके सेव किए गए कार्ड से एक क्लिक में।" },
        TourCrossLink { en: "Open the cross-sell demo", id: "Buka demo cross-sell", hi: "क्रॉस-सेल का डेमो खोलें" },
        NotFoundTitle { en: "Page not found", id: "Halaman tidak ditemukan", hi: "पेज नहीं मिला" },
        NotFoundBody { en: "The page you asked for does not exist or has moved.", id: "Halaman yang Anda minta tidak ada atau sudah dipindahkan.", hi: "आपका माँगा गया पेज मौजूद नहीं है या कहीं और चला गया है।" },
        BackHome { en: "Back to the start page", id: "Kembali ke halaman awal", hi: "शुरुआती पेज पर वापस जाएँ" },
        LinkMissingTitle { en: "This link is incomplete", id: "Tautan ini tidak lengkap", hi: "यह लिंक अधूरा है" },
        LinkMissingBody { en: "The address is missing part of the link. Please open the link from your email again.", id: "Sebagian tautan hilang dari alamat ini. Silakan buka kembali tautan dari email Anda.", hi: "पते में लिंक का एक हिस्सा नहीं है। कृपया अपने ईमेल से लिंक फिर से खोलें।" },
        LinkExpiredTitle { en: "This link has expired", id: "Tautan ini sudah kedaluwarsa", hi: "इस लिंक की समय-सीमा खत्म हो गई है" },
        LinkExpiredBody { en: "For your security, links work for a limited time. Please ask the shop for a new link.", id: "Demi keamanan Anda, tautan hanya berlaku untuk waktu terbatas. Silakan minta tautan baru kepada toko.", hi: "आपकी सुरक्षा के लिए लिंक सीमित समय तक ही काम करते हैं। कृपया दुकान से नया लिंक माँगें।" },
        LinkInvalidTitle { en: "This link is not valid", id: "Tautan ini tidak valid", hi: "यह लिंक मान्य नहीं है" },
        LinkInvalidBody { en: "The link may have been copied incompletely or changed. Please open the link from your email again.", id: "Tautan mungkin tersalin tidak lengkap atau telah diubah. Silakan buka kembali tautan dari email Anda.", hi: "हो सकता है लिंक अधूरा कॉपी हुआ हो या बदल गया हो। कृपया अपने ईमेल से लिंक फिर से खोलें।" },
        /// The language switcher's name for screen readers.
        LanguageLabel { en: "Language", id: "Bahasa", hi: "भाषा" },
        OpenInNewTab { en: "Open in a new tab", id: "Buka di tab baru", hi: "नए टैब में खोलें" },
        Loading { en: "Loading…", id: "Memuat…", hi: "लोड हो रहा है…" },
        ErrorTitle { en: "Something went wrong", id: "Terjadi kesalahan", hi: "कुछ गड़बड़ हो गई" },
        ErrorMalformed { en: "This request was incomplete, so nothing happened. Please reload the page and try again.", id: "Permintaan ini tidak lengkap, jadi tidak ada yang terjadi. Silakan muat ulang halaman dan coba lagi.", hi: "यह अनुरोध अधूरा था, इसलिए कुछ नहीं हुआ। कृपया पेज रीलोड करें और फिर से कोशिश करें।" },
        ErrorConsentMissing { en: "The amount you agreed to was not sent with the request, so nothing was charged. Please reload the page and try again.", id: "Jumlah yang Anda setujui tidak terkirim bersama permintaan, jadi tidak ada biaya yang ditagih. Silakan muat ulang halaman dan coba lagi.", hi: "आपकी स्वीकार की गई राशि अनुरोध के साथ नहीं भेजी गई, इसलिए कोई शुल्क नहीं लिया गया। कृपया पेज रीलोड करें और फिर से कोशिश करें।" },
        ErrorRateLimited { en: "Too many requests at once. Please wait a moment and try again.", id: "Terlalu banyak permintaan sekaligus. Mohon tunggu sebentar dan coba lagi.", hi: "एक साथ बहुत ज़्यादा अनुरोध आ गए। कृपया थोड़ी देर रुककर फिर से कोशिश करें।" },
        SomethingWentWrong { en: "Something went wrong on our side. Nothing was charged. Please try again in a moment.", id: "Terjadi kesalahan di pihak kami. Tidak ada biaya yang ditagih. Silakan coba lagi sebentar lagi.", hi: "हमारी ओर से कुछ गड़बड़ हो गई। कोई शुल्क नहीं लिया गया। कृपया थोड़ी देर बाद फिर से कोशिश करें।" },
    }
}
