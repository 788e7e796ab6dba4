//! The plan-change pages' strings. `{name}` placeholders are filled with `tf`.

crate::catalogue! {
    pub enum PlanChangeText {
        PageTitle { en: "Change your plan", id: "Ubah paket Anda", hi: "अपना प्लान बदलें" },
        Intro { en: "Compare plans and see exactly what you will pay before anything changes.", id: "Bandingkan paket dan lihat dengan pasti berapa yang akan Anda bayar sebelum ada yang berubah.", hi: "प्लान की तुलना करें और कुछ भी बदलने से पहले ठीक-ठीक देखें कि आप कितना भुगतान करेंगे।" },
        CurrentPlanHeading { en: "Your current plan", id: "Paket Anda saat ini", hi: "आपका मौजूदा प्लान" },
        CurrentBadge { en: "Current plan", id: "Paket saat ini", hi: "मौजूदा प्लान" },
        ChoosePlanLegend { en: "Choose a plan", id: "Pilih paket", hi: "प्लान चुनें" },
        /// `{count}`
        CurrentSeats { en: "{count} seats", id: "{count} kursi", hi: "{count} सीटें" },
        /// `{amount}`
        PerDay { en: "{amount} per day", id: "{amount} per hari", hi: "{amount} प्रति दिन" },
        PerWeek { en: "{amount} per week", id: "{amount} per minggu", hi: "{amount} प्रति सप्ताह" },
        PerMonth { en: "{amount} per month", id: "{amount} per bulan", hi: "{amount} प्रति माह" },
        PerYear { en: "{amount} per year", id: "{amount} per tahun", hi: "{amount} प्रति वर्ष" },
        /// `{amount}`, `{count}`
        EveryDays { en: "{amount} every {count} days", id: "{amount} setiap {count} hari", hi: "हर {count} दिन में {amount}" },
        EveryWeeks { en: "{amount} every {count} weeks", id: "{amount} setiap {count} minggu", hi: "हर {count} सप्ताह में {amount}" },
        EveryMonths { en: "{amount} every {count} months", id: "{amount} setiap {count} bulan", hi: "हर {count} महीने में {amount}" },
        EveryYears { en: "{amount} every {count} years", id: "{amount} setiap {count} tahun", hi: "हर {count} साल में {amount}" },
        /// `{amount}` (per seat)
        PerSeat { en: "{amount} per seat", id: "{amount} per kursi", hi: "{amount} प्रति सीट" },
        SeatsLabel { en: "Seats", id: "Kursi", hi: "सीटें" },
        /// `{max}`
        SeatsHint { en: "From 1 to {max} seats.", id: "Dari 1 hingga {max} kursi.", hi: "1 से {max} सीटें।" },
        /// `{percent}`
        SaveWithYearly { en: "Save {percent}% with yearly", id: "Hemat {percent}% dengan paket tahunan", hi: "सालाना प्लान पर {percent}% बचाएँ" },
        YouGain { en: "You gain", id: "Yang Anda dapatkan", hi: "आपको मिलेगा" },
        YouLose { en: "You lose", id: "Yang hilang", hi: "आप खो देंगे" },
        Upgrade { en: "Upgrade", id: "Upgrade", hi: "अपग्रेड" },
        Downgrade { en: "Downgrade", id: "Downgrade", hi: "डाउनग्रेड" },
        NotAvailable { en: "Not available online:", id: "Tidak tersedia secara online:", hi: "ऑनलाइन उपलब्ध नहीं:" },
        BlockedDowngrades { en: "Downgrades are not available online. Please contact us to move to this plan.", id: "Downgrade tidak tersedia secara online. Silakan hubungi kami untuk pindah ke paket ini.", hi: "डाउनग्रेड ऑनलाइन उपलब्ध नहीं है। इस प्लान पर जाने के लिए कृपया हमसे संपर्क करें।" },
        BlockedGeneric { en: "This switch is not available online. Please contact us.", id: "Perubahan ini tidak tersedia secara online. Silakan hubungi kami.", hi: "यह बदलाव ऑनलाइन उपलब्ध नहीं है। कृपया हमसे संपर्क करें।" },
        NoAlternatives { en: "There are no other plans to switch to right now.", id: "Saat ini tidak ada paket lain yang bisa dipilih.", hi: "अभी बदलने के लिए कोई दूसरा प्लान नहीं है।" },
        ReviewButton { en: "Review the change", id: "Tinjau perubahan", hi: "बदलाव की समीक्षा करें" },
        PreviewHeading { en: "What you will pay", id: "Yang akan Anda bayar", hi: "आप कितना भुगतान करेंगे" },
        PreviewIdle { en: "Choose a plan to see what you will pay today.", id: "Pilih paket untuk melihat yang akan Anda bayar hari ini.", hi: "आज आप कितना भुगतान करेंगे, यह देखने के लिए कोई प्लान चुनें।" },
        PreviewLoading { en: "Calculating the price with Dodo Payments…", id: "Menghitung harga dengan Dodo Payments…", hi: "Dodo Payments के साथ कीमत की गणना हो रही है…" },
        PreviewFailed { en: "We could not calculate this change. Nothing was charged. Please try again.", id: "Kami tidak dapat menghitung perubahan ini. Tidak ada biaya yang ditagih. Silakan coba lagi.", hi: "हम इस बदलाव की गणना नहीं कर सके। कोई शुल्क नहीं लिया गया। कृपया फिर से कोशिश करें।" },
        /// `{amount}`
        PreviewUpdated { en: "Price updated: {amount} due today.", id: "Harga diperbarui: {amount} harus dibayar hari ini.", hi: "कीमत अपडेट हुई: आज {amount} देय है।" },
        ContinueButton { en: "Continue to confirm", id: "Lanjutkan ke konfirmasi", hi: "पुष्टि के लिए आगे बढ़ें" },
        GoBack { en: "Go back", id: "Kembali", hi: "वापस जाएँ" },
        /// `{plan}`
        TitleUpgradeNow { en: "Upgrade to {plan} now", id: "Upgrade ke {plan} sekarang", hi: "अभी {plan} पर अपग्रेड करें" },
        /// `{plan}`
        TitleDowngradeNow { en: "Downgrade to {plan} now", id: "Downgrade ke {plan} sekarang", hi: "अभी {plan} पर डाउनग्रेड करें" },
        /// `{plan}`
        TitleSwitchNow { en: "Switch to {plan} now", id: "Pindah ke {plan} sekarang", hi: "अभी {plan} पर जाएँ" },
        /// `{plan}`, `{date}`
        TitleScheduledDowngrade { en: "Downgrade to {plan} on {date}", id: "Downgrade ke {plan} pada {date}", hi: "{date} को {plan} पर डाउनग्रेड करें" },
        /// `{plan}`, `{date}`
        TitleScheduledUpgrade { en: "Upgrade to {plan} on {date}", id: "Upgrade ke {plan} pada {date}", hi: "{date} को {plan} पर अपग्रेड करें" },
        /// `{amount}`, `{plan}`
        SummaryCharge { en: "You will be charged {amount} today and your plan changes to {plan} right away.", id: "Anda akan ditagih {amount} hari ini dan paket Anda langsung berubah menjadi {plan}.", hi: "आज आपसे {amount} का शुल्क लिया जाएगा और आपका प्लान तुरंत {plan} हो जाएगा।" },
        /// `{plan}`, `{credit}`
        SummaryCredit { en: "Your plan changes to {plan} right away and {credit} of credit is added to your subscription.", id: "Paket Anda langsung berubah menjadi {plan} dan kredit sebesar {credit} ditambahkan ke langganan Anda.", hi: "आपका प्लान तुरंत {plan} हो जाएगा और आपकी सदस्यता में {credit} का क्रेडिट जोड़ा जाएगा।" },
        /// `{plan}`
        SummaryNoCharge { en: "Your plan changes to {plan} right away. Nothing is charged today.", id: "Paket Anda langsung berubah menjadi {plan}. Tidak ada biaya yang ditagih hari ini.", hi: "आपका प्लान तुरंत {plan} हो जाएगा। आज कोई शुल्क नहीं लिया जाएगा।" },
        /// `{plan}`, `{date}`
        SummaryScheduled { en: "Your plan changes to {plan} on {date}. Nothing is charged today and you keep your current plan until then.", id: "Paket Anda berubah menjadi {plan} pada {date}. Tidak ada biaya yang ditagih hari ini dan Anda tetap memakai paket saat ini sampai tanggal tersebut.", hi: "आपका प्लान {date} को {plan} हो जाएगा। आज कोई शुल्क नहीं लिया जाएगा और तब तक आपका मौजूदा प्लान चलता रहेगा।" },
        TableCaption { en: "What this change charges", id: "Biaya dari perubahan ini", hi: "इस बदलाव के शुल्क" },
        ColItem { en: "Item", id: "Item", hi: "आइटम" },
        ColAmount { en: "Amount", id: "Jumlah biaya", hi: "राशि" },
        /// `{unit_price}`, `{quantity}`, `{percent}`
        LineArithmetic { en: "{unit_price} × {quantity} × {percent}% of the billing period", id: "{unit_price} × {quantity} × {percent}% dari periode penagihan", hi: "{unit_price} × {quantity} × बिलिंग अवधि का {percent}%" },
        NoLineItems { en: "Nothing is charged now.", id: "Tidak ada biaya yang ditagih sekarang.", hi: "अभी कोई शुल्क नहीं लिया जाएगा।" },
        CreditApplied { en: "Credit applied", id: "Kredit digunakan", hi: "लागू किया गया क्रेडिट" },
        CreditAdded { en: "Credit added to your subscription", id: "Kredit ditambahkan ke langganan Anda", hi: "आपकी सदस्यता में जोड़ा गया क्रेडिट" },
        /// `{amount}`
        CreditMinus { en: "−{amount} credit", id: "−{amount} kredit", hi: "−{amount} क्रेडिट" },
        /// `{amount}`
        CreditPlus { en: "+{amount} credit", id: "+{amount} kredit", hi: "+{amount} क्रेडिट" },
        CreditNote { en: "Credit stays with this subscription and is applied to your next renewals before your card is charged.", id: "Kredit tetap tersimpan di langganan ini dan digunakan untuk perpanjangan berikutnya sebelum kartu Anda ditagih.", hi: "क्रेडिट इसी सदस्यता में रहता है और आपके कार्ड से शुल्क लेने से पहले अगले नवीनीकरणों पर लागू होता है।" },
        TrialLegend { en: "When should the change happen?", id: "Kapan perubahan ini harus terjadi?", hi: "यह बदलाव कब होना चाहिए?" },
        /// `{date}`
        TrialWhenEnd { en: "When your trial ends on {date}: nothing is charged today", id: "Saat masa uji coba Anda berakhir pada {date}: tidak ada biaya yang ditagih hari ini", hi: "जब {date} को आपका ट्रायल खत्म हो: आज कोई शुल्क नहीं" },
        TrialWhenNow { en: "Now: your trial ends today", id: "Sekarang: masa uji coba Anda berakhir hari ini", hi: "अभी: आपका ट्रायल आज खत्म हो जाएगा" },
        /// `{date}`
        TrialEndsOn { en: "Your free trial ends on {date}.", id: "Masa uji coba gratis Anda berakhir pada {date}.", hi: "आपका मुफ़्त ट्रायल {date} को खत्म होगा।" },
        /// `{plan}`, `{date}`
        TrialOptionEnd { en: "Switch to {plan} when your trial ends on {date}: nothing is charged today.", id: "Pindah ke {plan} saat masa uji coba Anda berakhir pada {date}: tidak ada biaya yang ditagih hari ini.", hi: "{date} को ट्रायल खत्म होने पर {plan} पर जाएँ: आज कोई शुल्क नहीं लिया जाएगा।" },
        /// `{plan}`, `{date}`, `{amount}`
        TrialOptionEndCharge { en: "Switch to {plan} when your trial ends on {date}: {amount} is charged today.", id: "Pindah ke {plan} saat masa uji coba Anda berakhir pada {date}: {amount} ditagih hari ini.", hi: "{date} को ट्रायल खत्म होने पर {plan} पर जाएँ: आज {amount} का शुल्क लिया जाएगा।" },
        /// `{plan}`, `{amount}`
        TrialOptionNow { en: "Start {plan} now: pay {amount} today, your trial ends.", id: "Mulai {plan} sekarang: bayar {amount} hari ini, masa uji coba Anda berakhir.", hi: "अभी {plan} शुरू करें: आज {amount} का भुगतान करें, आपका ट्रायल खत्म हो जाएगा।" },
        /// `{plan}`
        TrialOptionUnpriced { en: "{plan}: the price of this choice could not be calculated right now.", id: "{plan}: harga untuk pilihan ini tidak dapat dihitung saat ini.", hi: "{plan}: इस विकल्प की कीमत अभी गणना नहीं की जा सकी।" },
        TrialChosen { en: "Your choice", id: "Pilihan Anda", hi: "आपकी पसंद" },
        TrialChooseOther { en: "Choose the other option instead", id: "Pilih opsi yang lain", hi: "इसके बजाय दूसरा विकल्प चुनें" },
        /// `{plan}`, `{date}`
        TitleTrialEnd { en: "Switch to {plan} when your trial ends on {date}", id: "Pindah ke {plan} saat masa uji coba Anda berakhir pada {date}", hi: "{date} को ट्रायल खत्म होने पर {plan} पर जाएँ" },
        /// `{plan}`, `{date}`
        SummaryTrialEnd { en: "Your trial continues until {date}, then your plan is {plan}. Nothing is charged today.", id: "Masa uji coba Anda berlanjut hingga {date}, lalu paket Anda menjadi {plan}. Tidak ada biaya yang ditagih hari ini.", hi: "आपका ट्रायल {date} तक चलेगा, फिर आपका प्लान {plan} होगा। आज कोई शुल्क नहीं लिया जाएगा।" },
        /// `{plan}`
        TitleTrialNow { en: "Start {plan} now", id: "Mulai {plan} sekarang", hi: "अभी {plan} शुरू करें" },
        /// `{amount}`, `{plan}`
        SummaryTrialNow { en: "You will be charged {amount} today, your trial ends and your plan changes to {plan} right away.", id: "Anda akan ditagih {amount} hari ini, masa uji coba Anda berakhir, dan paket Anda langsung berubah menjadi {plan}.", hi: "आज आपसे {amount} का शुल्क लिया जाएगा, आपका ट्रायल खत्म हो जाएगा और आपका प्लान तुरंत {plan} हो जाएगा।" },
        /// `{amount}`, `{plan}`, `{next}`, `{date}`
        ConsentTrialNow { en: "I'll be charged {amount} today for {plan} and my trial ends now, then {next} on {date} and each renewal after until I cancel.", id: "Saya akan ditagih {amount} hari ini untuk {plan} dan masa uji coba saya berakhir sekarang, lalu {next} pada {date} dan setiap perpanjangan berikutnya sampai saya berhenti berlangganan.", hi: "मुझसे आज {plan} के लिए {amount} का शुल्क लिया जाएगा और मेरा ट्रायल अभी खत्म हो जाएगा, फिर {date} को {next} और उसके बाद हर नवीनीकरण पर, जब तक मैं रद्द न करूँ।" },
        /// `{date}`
        BillingMoves { en: "Your billing date moves to {date}.", id: "Tanggal penagihan Anda pindah ke {date}.", hi: "आपकी बिलिंग तिथि बदलकर {date} हो जाएगी।" },
        /// `{credit}`, `{count}`, `{renewal}`, `{date}`
        CreditCoversMany { en: "{credit} credit: your next {count} renewals of {renewal} are covered; you pay again on {date}.", id: "Kredit {credit}: {count} perpanjangan berikutnya sebesar {renewal} sudah tertutup; Anda membayar lagi pada {date}.", hi: "{credit} क्रेडिट: {renewal} के आपके अगले {count} नवीनीकरण इससे पूरे हो जाएँगे; आप फिर से {date} को भुगतान करेंगे।" },
        /// `{credit}`, `{renewal}`, `{date}`
        CreditCoversOne { en: "{credit} credit: your next renewal of {renewal} is covered; you pay again on {date}.", id: "Kredit {credit}: perpanjangan berikutnya sebesar {renewal} sudah tertutup; Anda membayar lagi pada {date}.", hi: "{credit} क्रेडिट: {renewal} का आपका अगला नवीनीकरण इससे पूरा हो जाएगा; आप फिर से {date} को भुगतान करेंगे।" },
        /// `{credit}`, `{count}`, `{renewal}`, `{date}`, `{pay}`
        CreditCoversManyPartly { en: "{credit} credit: your next {count} renewals of {renewal} are covered; on {date} you pay {pay} instead of {renewal}.", id: "Kredit {credit}: {count} perpanjangan berikutnya sebesar {renewal} sudah tertutup; pada {date} Anda membayar {pay}, bukan {renewal}.", hi: "{credit} क्रेडिट: {renewal} के आपके अगले {count} नवीनीकरण इससे पूरे हो जाएँगे; {date} को आप {renewal} की जगह {pay} का भुगतान करेंगे।" },
        /// `{credit}`, `{renewal}`, `{date}`, `{pay}`
        CreditCoversOnePartly { en: "{credit} credit: your next renewal of {renewal} is covered; on {date} you pay {pay} instead of {renewal}.", id: "Kredit {credit}: perpanjangan berikutnya sebesar {renewal} sudah tertutup; pada {date} Anda membayar {pay}, bukan {renewal}.", hi: "{credit} क्रेडिट: {renewal} का आपका अगला नवीनीकरण इससे पूरा हो जाएगा; {date} को आप {renewal} की जगह {pay} का भुगतान करेंगे।" },
        /// `{credit}`, `{renewal}`, `{date}`, `{pay}`
        CreditLowersNext { en: "{credit} credit: on {date} you pay {pay} instead of {renewal}.", id: "Kredit {credit}: pada {date} Anda membayar {pay}, bukan {renewal}.", hi: "{credit} क्रेडिट: {date} को आप {renewal} की जगह {pay} का भुगतान करेंगे।" },
        Tax { en: "Tax", id: "Pajak", hi: "टैक्स" },
        TotalDueToday { en: "Total due today", id: "Total yang harus dibayar hari ini", hi: "आज देय कुल राशि" },
        NextBill { en: "Next bill", id: "Tagihan berikutnya", hi: "अगला बिल" },
        /// `{value}`
        NextBillLine { en: "Next bill: {value}", id: "Tagihan berikutnya: {value}", hi: "अगला बिल: {value}" },
        /// `{amount}`, `{date}`
        NextBillValue { en: "{amount} on {date}", id: "{amount} pada {date}", hi: "{date} को {amount}" },
        /// `{amount}`, `{date}`
        NextBillFromCredit { en: "{amount} on {date}, paid from your credit", id: "{amount} pada {date}, dibayar dari kredit Anda", hi: "{date} को {amount}, आपके क्रेडिट से भुगतान" },
        ChargedTo { en: "Paid with", id: "Dibayar dengan", hi: "भुगतान का तरीका" },
        /// `{network}`, `{last4}`
        CardEnding { en: "{network} card ending in {last4}", id: "Kartu {network} berakhiran {last4}", hi: "{last4} पर खत्म होने वाला {network} कार्ड" },
        SavedMethod { en: "Your saved payment method", id: "Metode pembayaran tersimpan Anda", hi: "आपका सेव किया गया भुगतान का तरीका" },
        /// `{amount}`, `{plan}`, `{next}`, `{date}`
        ConsentCharge { en: "I'll be charged {amount} today for {plan}, then {next} on {date} and each renewal after until I cancel.", id: "Saya akan ditagih {amount} hari ini untuk {plan}, lalu {next} pada {date} dan setiap perpanjangan berikutnya sampai saya berhenti berlangganan.", hi: "मुझसे आज {plan} के लिए {amount} का शुल्क लिया जाएगा, फिर {date} को {next} और उसके बाद हर नवीनीकरण पर, जब तक मैं रद्द न करूँ।" },
        /// `{plan}`, `{next}`, `{date}`
        ConsentNoCharge { en: "I understand my plan changes to {plan} right away, nothing is charged today, and my next bill is {next} on {date}.", id: "Saya memahami bahwa paket saya langsung berubah menjadi {plan}, tidak ada biaya yang ditagih hari ini, dan tagihan berikutnya adalah {next} pada {date}.", hi: "मैं समझता/समझती हूँ कि मेरा प्लान तुरंत {plan} हो जाएगा, आज कोई शुल्क नहीं लिया जाएगा, और मेरा अगला बिल {date} को {next} का होगा।" },
        /// `{plan}`, `{date}`, `{next}`
        ConsentScheduled { en: "I understand my plan changes to {plan} on {date}, when I'll be charged {next}, and nothing is charged today.", id: "Saya memahami bahwa paket saya berubah menjadi {plan} pada {date}, saat itu saya akan ditagih {next}, dan tidak ada biaya yang ditagih hari ini.", hi: "मैं समझता/समझती हूँ कि मेरा प्लान {date} को {plan} हो जाएगा, तब मुझसे {next} का शुल्क लिया जाएगा, और आज कोई शुल्क नहीं लिया जाएगा।" },
        /// `{amount}`
        PayNow { en: "Pay {amount} now", id: "Bayar {amount} sekarang", hi: "अभी {amount} का भुगतान करें" },
        /// `{plan}`
        SwitchNowButton { en: "Switch to {plan} now", id: "Pindah ke {plan} sekarang", hi: "अभी {plan} पर जाएँ" },
        /// `{plan}`, `{date}`
        SwitchOnButton { en: "Switch to {plan} on {date}", id: "Pindah ke {plan} pada {date}", hi: "{date} को {plan} पर जाएँ" },
        Confirming { en: "Confirming…", id: "Mengonfirmasi…", hi: "पुष्टि हो रही है…" },
        /// `{was}`, `{now}`
        DriftTotal { en: "The amount due today changed from {was} to {now}. Nothing was charged; check it and confirm again.", id: "Jumlah yang harus dibayar hari ini berubah dari {was} menjadi {now}. Tidak ada biaya yang ditagih; periksa lalu konfirmasi lagi.", hi: "आज देय राशि {was} से बदलकर {now} हो गई है। कोई शुल्क नहीं लिया गया; इसे जाँचें और फिर से पुष्टि करें।" },
        /// `{was}`, `{now}`
        DriftTax { en: "The tax changed from {was} to {now}. Nothing was charged; check it and confirm again.", id: "Pajak berubah dari {was} menjadi {now}. Tidak ada biaya yang ditagih; periksa lalu konfirmasi lagi.", hi: "टैक्स {was} से बदलकर {now} हो गया है। कोई शुल्क नहीं लिया गया; इसे जाँचें और फिर से पुष्टि करें।" },
        /// `{was}`, `{now}`
        DriftCredits { en: "The credit changed from {was} to {now}. Nothing was charged; check it and confirm again.", id: "Kredit berubah dari {was} menjadi {now}. Tidak ada biaya yang ditagih; periksa lalu konfirmasi lagi.", hi: "क्रेडिट {was} से बदलकर {now} हो गया है। कोई शुल्क नहीं लिया गया; इसे जाँचें और फिर से पुष्टि करें।" },
        /// `{was}`, `{now}`
        DriftCurrency { en: "The currency changed from {was} to {now}. Nothing was charged; check it and confirm again.", id: "Mata uang berubah dari {was} menjadi {now}. Tidak ada biaya yang ditagih; periksa lalu konfirmasi lagi.", hi: "मुद्रा {was} से बदलकर {now} हो गई है। कोई शुल्क नहीं लिया गया; इसे जाँचें और फिर से पुष्टि करें।" },
        /// `{was}`, `{now}`
        DriftNextBilling { en: "The next billing date changed from {was} to {now}. Nothing was charged; check it and confirm again.", id: "Tanggal penagihan berikutnya berubah dari {was} menjadi {now}. Tidak ada biaya yang ditagih; periksa lalu konfirmasi lagi.", hi: "अगली बिलिंग तिथि {was} से बदलकर {now} हो गई है। कोई शुल्क नहीं लिया गया; इसे जाँचें और फिर से पुष्टि करें।" },
        InFlightNotice { en: "Another change to your plan is already being processed, so nothing new was sent. Here it is.", id: "Perubahan lain pada paket Anda sedang diproses, jadi tidak ada permintaan baru yang dikirim. Ini perubahannya.", hi: "आपके प्लान का एक और बदलाव पहले से प्रोसेस हो रहा है, इसलिए कुछ नया नहीं भेजा गया। वह बदलाव यह है।" },
        PriceChanged { en: "The price of this change was updated. Please check the new amount and confirm again.", id: "Harga perubahan ini telah diperbarui. Silakan periksa jumlah baru dan konfirmasi lagi.", hi: "इस बदलाव की कीमत अपडेट हो गई है। कृपया नई राशि देखें और फिर से पुष्टि करें।" },
        AlreadyOnPlan { en: "You are already on this plan.", id: "Anda sudah memakai paket ini.", hi: "आप पहले से इसी प्लान पर हैं।" },
        PlanNotOffered { en: "This plan is not available for your subscription.", id: "Paket ini tidak tersedia untuk langganan Anda.", hi: "यह प्लान आपकी सदस्यता के लिए उपलब्ध नहीं है।" },
        ChangeFailed { en: "We could not change your plan. Nothing was charged. Please try again.", id: "Kami tidak dapat mengubah paket Anda. Tidak ada biaya yang ditagih. Silakan coba lagi.", hi: "हम आपका प्लान नहीं बदल सके। कोई शुल्क नहीं लिया गया। कृपया फिर से कोशिश करें।" },
        /// `{plan}`, `{date}`
        ScheduledBanner { en: "Your plan changes to {plan} on {date}.", id: "Paket Anda berubah menjadi {plan} pada {date}.", hi: "आपका प्लान {date} को {plan} हो जाएगा।" },
        UndoButton { en: "Undo the scheduled change", id: "Batalkan perubahan terjadwal", hi: "तय किया गया बदलाव रद्द करें" },
        /// `{plan}`
        UndoDone { en: "Done: you stay on {plan}.", id: "Selesai: Anda tetap memakai {plan}.", hi: "हो गया: आप {plan} पर ही रहेंगे।" },
        UndoFailed { en: "We could not undo the scheduled change. Please try again.", id: "Kami tidak dapat membatalkan perubahan terjadwal. Silakan coba lagi.", hi: "हम तय किया गया बदलाव रद्द नहीं कर सके। कृपया फिर से कोशिश करें।" },
        /// `{plan}`
        PendingBanner { en: "Your change to {plan} is being processed.", id: "Perubahan Anda ke {plan} sedang diproses.", hi: "{plan} पर आपका बदलाव प्रोसेस हो रहा है।" },
        SeeStatus { en: "See its status", id: "Lihat statusnya", hi: "इसकी स्थिति देखें" },
        OnHoldBanner { en: "Your subscription is on hold because a payment failed. Update your payment method to pay and reactivate it.", id: "Langganan Anda ditangguhkan karena pembayaran gagal. Perbarui metode pembayaran Anda untuk membayar dan mengaktifkannya kembali.", hi: "एक भुगतान विफल होने के कारण आपकी सदस्यता रोक दी गई है। भुगतान करने और इसे फिर से चालू करने के लिए अपना भुगतान का तरीका अपडेट करें।" },
        UpdatePaymentMethod { en: "Update payment method", id: "Perbarui metode pembayaran", hi: "भुगतान का तरीका अपडेट करें" },
        InactiveBanner { en: "This subscription is not active, so its plan cannot be changed here.", id: "Langganan ini tidak aktif, jadi paketnya tidak dapat diubah di sini.", hi: "यह सदस्यता सक्रिय नहीं है, इसलिए इसका प्लान यहाँ नहीं बदला जा सकता।" },
        BackToPlans { en: "Back to plans", id: "Kembali ke daftar paket", hi: "प्लान पर वापस जाएँ" },
        DownsellHeading { en: "Before you downgrade", id: "Sebelum Anda downgrade", hi: "डाउनग्रेड करने से पहले" },
        /// `{plan}`, `{price}`
        DownsellTry { en: "See the price of {plan}", id: "Lihat harga {plan}", hi: "{plan} की कीमत देखें" },
        /// `{plan}`
        DownsellDecline { en: "No thanks, continue to {plan}", id: "Tidak, terima kasih, lanjutkan ke {plan}", hi: "नहीं, धन्यवाद, {plan} पर जारी रखें" },
        ProcessingTitle { en: "Changing your plan…", id: "Mengubah paket Anda…", hi: "आपका प्लान बदला जा रहा है…" },
        ProcessingBody { en: "We are waiting for Dodo Payments to confirm the change. This usually takes a few seconds.", id: "Kami menunggu Dodo Payments mengonfirmasi perubahan ini. Biasanya hanya perlu beberapa detik.", hi: "हम Dodo Payments से बदलाव की पुष्टि का इंतज़ार कर रहे हैं। इसमें आम तौर पर कुछ सेकंड लगते हैं।" },
        CheckAgain { en: "Check again", id: "Periksa lagi", hi: "फिर से जाँचें" },
        /// `{plan}`
        SuccessTitle { en: "You are now on {plan}", id: "Anda sekarang memakai {plan}", hi: "अब आप {plan} पर हैं" },
        /// `{amount}`, `{date}`
        SuccessNextBill { en: "Your next bill is {amount} on {date}.", id: "Tagihan berikutnya adalah {amount} pada {date}.", hi: "आपका अगला बिल {date} को {amount} का है।" },
        /// `{plan}`, `{date}`
        ScheduledTitle { en: "Your plan changes to {plan} on {date}", id: "Paket Anda berubah menjadi {plan} pada {date}", hi: "आपका प्लान {date} को {plan} हो जाएगा" },
        ScheduledBody { en: "Nothing is charged today. You keep your current plan until then.", id: "Tidak ada biaya yang ditagih hari ini. Anda tetap memakai paket saat ini sampai tanggal tersebut.", hi: "आज कोई शुल्क नहीं लिया जाएगा। तब तक आपका मौजूदा प्लान चलता रहेगा।" },
        UndoneTitle { en: "This scheduled change was undone", id: "Perubahan terjadwal ini telah dibatalkan", hi: "तय किया गया यह बदलाव रद्द कर दिया गया" },
        /// `{plan}`
        UndoneBody { en: "You stay on {plan}. Nothing was charged.", id: "Anda tetap memakai {plan}. Tidak ada biaya yang ditagih.", hi: "आप {plan} पर ही रहेंगे। कोई शुल्क नहीं लिया गया।" },
        DeclinedTitle { en: "Your payment did not go through", id: "Pembayaran Anda tidak berhasil", hi: "आपका भुगतान नहीं हो पाया" },
        /// `{plan}`
        DeclinedBody { en: "The charge was declined, so your plan has not changed: you are still on {plan}. Update your payment method, then try again.", id: "Tagihan ditolak, jadi paket Anda tidak berubah: Anda masih memakai {plan}. Perbarui metode pembayaran Anda, lalu coba lagi.", hi: "शुल्क अस्वीकार हो गया, इसलिए आपका प्लान नहीं बदला: आप अभी भी {plan} पर हैं। अपना भुगतान का तरीका अपडेट करें, फिर से कोशिश करें।" },
        OnHoldTitle { en: "Your subscription is on hold", id: "Langganan Anda ditangguhkan", hi: "आपकी सदस्यता रोक दी गई है" },
        /// `{plan}`
        OnHoldBody { en: "Your plan changed to {plan}, but the payment failed, so the subscription is on hold. Update your payment method to pay and reactivate it.", id: "Paket Anda berubah menjadi {plan}, tetapi pembayarannya gagal, jadi langganan ditangguhkan. Perbarui metode pembayaran Anda untuk membayar dan mengaktifkannya kembali.", hi: "आपका प्लान {plan} हो गया, लेकिन भुगतान विफल रहा, इसलिए सदस्यता रोक दी गई है। भुगतान करने और इसे फिर से चालू करने के लिए अपना भुगतान का तरीका अपडेट करें।" },
        PendingExistsTitle { en: "A plan change is already in progress", id: "Perubahan paket sedang berlangsung", hi: "प्लान का एक बदलाव पहले से चल रहा है" },
        PendingExistsBody { en: "An earlier change is still waiting for its payment. Once it completes, you can change your plan again.", id: "Perubahan sebelumnya masih menunggu pembayaran. Setelah selesai, Anda dapat mengubah paket lagi.", hi: "पिछला बदलाव अभी अपने भुगतान का इंतज़ार कर रहा है। उसके पूरा होते ही आप फिर से प्लान बदल सकते हैं।" },
        /// `{amount}`
        PendingPayment { en: "Payment being processed: {amount}.", id: "Pembayaran sedang diproses: {amount}.", hi: "भुगतान प्रोसेस हो रहा है: {amount}।" },
        FailedTitle { en: "We could not change your plan", id: "Kami tidak dapat mengubah paket Anda", hi: "हम आपका प्लान नहीं बदल सके" },
        FailedBody { en: "Nothing was charged and your plan has not changed. Please try again in a moment.", id: "Tidak ada biaya yang ditagih dan paket Anda tidak berubah. Silakan coba lagi sebentar lagi.", hi: "कोई शुल्क नहीं लिया गया और आपका प्लान नहीं बदला। कृपया थोड़ी देर बाद फिर से कोशिश करें।" },
        ActionTitle { en: "Your bank needs you to confirm this payment", id: "Bank Anda meminta Anda mengonfirmasi pembayaran ini", hi: "आपके बैंक को आपसे इस भुगतान की पुष्टि चाहिए" },
        ActionBody { en: "Open the secure page from Dodo Payments to confirm the payment.", id: "Buka halaman aman dari Dodo Payments untuk mengonfirmasi pembayaran.", hi: "भुगतान की पुष्टि करने के लिए Dodo Payments का सुरक्षित पेज खोलें।" },
        ActionLink { en: "Confirm the payment", id: "Konfirmasi pembayaran", hi: "भुगतान की पुष्टि करें" },
        DemoTitle { en: "Try the plan-change page", id: "Coba halaman perubahan paket", hi: "प्लान बदलाव पेज आज़माएँ" },
        DemoIntro { en: "The built-in Dodo sandbox has these demo subscriptions. Each link below is signed for one day.", id: "Sandbox Dodo bawaan memiliki langganan demo berikut. Setiap tautan di bawah ini ditandatangani untuk satu hari.", hi: "बिल्ट-इन Dodo सैंडबॉक्स में ये डेमो सदस्यताएँ हैं। नीचे का हर लिंक एक दिन के लिए साइन किया गया है।" },
        /// `{customer}`, `{subscription}`
        DemoLink { en: "Change the plan of {customer} ({subscription})", id: "Ubah paket {customer} ({subscription})", hi: "{customer} का प्लान बदलें ({subscription})" },
    }
}
