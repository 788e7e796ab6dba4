//! The cross-sell page's strings.

crate::catalogue! {
    pub enum CrossSellText {
        Title { en: "Recommended for you", id: "Rekomendasi untuk Anda", hi: "आपके लिए सुझाव" },
        Intro { en: "Based on what you already have. Each is one click away on your saved card.", id: "Berdasarkan apa yang sudah Anda miliki. Masing-masing hanya sekali klik dengan kartu tersimpan Anda.", hi: "आपके पास जो पहले से है, उसके आधार पर। हर एक आपके सेव किए गए कार्ड से बस एक क्लिक में।" },
        Nothing { en: "We have no recommendations for you right now.", id: "Saat ini kami belum punya rekomendasi untuk Anda.", hi: "अभी हमारे पास आपके लिए कोई सुझाव नहीं है।" },
        Purchased { en: "Purchased", id: "Sudah dibeli", hi: "खरीदा गया" },
        ViewDetails { en: "See details", id: "Lihat detail", hi: "विवरण देखें" },
        SucceededTitle { en: "It's yours", id: "Sekarang milik Anda", hi: "अब यह आपका है" },
        SucceededBody { en: "Your payment went through. You'll receive a receipt from Dodo Payments by email.", id: "Pembayaran Anda berhasil. Anda akan menerima tanda terima dari Dodo Payments melalui email.", hi: "आपका भुगतान हो गया। Dodo Payments की ओर से रसीद आपको ईमेल पर मिलेगी।" },
        BackToRecommendations { en: "Back to your recommendations", id: "Kembali ke rekomendasi Anda", hi: "अपने सुझावों पर वापस जाएँ" },
    }
}
