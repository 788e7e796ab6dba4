//! The plan-change pages' strings. `{name}` placeholders are filled with `tf`.

crate::catalogue! {
    pub enum PlanChangeText {
        PageTitle { en: "Change your plan" },
        Intro { en: "Compare plans and see exactly what you will pay before anything changes." },
        CurrentPlanHeading { en: "Your current plan" },
        CurrentBadge { en: "Current plan" },
        ChoosePlanLegend { en: "Choose a plan" },
        /// `{count}`
        CurrentSeats { en: "{count} seats" },
        /// `{amount}`
        PerDay { en: "{amount} per day" },
        PerWeek { en: "{amount} per week" },
        PerMonth { en: "{amount} per month" },
        PerYear { en: "{amount} per year" },
        /// `{amount}`, `{count}`
        EveryDays { en: "{amount} every {count} days" },
        EveryWeeks { en: "{amount} every {count} weeks" },
        EveryMonths { en: "{amount} every {count} months" },
        EveryYears { en: "{amount} every {count} years" },
        /// `{amount}` (per seat)
        PerSeat { en: "{amount} per seat" },
        SeatsLabel { en: "Seats" },
        /// `{max}`
        SeatsHint { en: "From 1 to {max} seats." },
        /// `{percent}`
        SaveWithYearly { en: "Save {percent}% with yearly" },
        YouGain { en: "You gain" },
        YouLose { en: "You lose" },
        Upgrade { en: "Upgrade" },
        Downgrade { en: "Downgrade" },
        NotAvailable { en: "Not available online:" },
        BlockedDowngrades { en: "Downgrades are not available online. Please contact us to move to this plan." },
        BlockedGeneric { en: "This switch is not available online. Please contact us." },
        NoAlternatives { en: "There are no other plans to switch to right now." },
        ReviewButton { en: "Review the change" },
        PreviewHeading { en: "What you will pay" },
        PreviewIdle { en: "Choose a plan to see what you will pay today." },
        PreviewLoading { en: "Calculating the price with Dodo Payments…" },
        PreviewFailed { en: "We could not calculate this change. Nothing was charged. Please try again." },
        /// `{amount}`
        PreviewUpdated { en: "Price updated: {amount} due today." },
        ContinueButton { en: "Continue to confirm" },
        GoBack { en: "Go back" },
        /// `{plan}`
        TitleUpgradeNow { en: "Upgrade to {plan} now" },
        /// `{plan}`
        TitleDowngradeNow { en: "Downgrade to {plan} now" },
        /// `{plan}`
        TitleSwitchNow { en: "Switch to {plan} now" },
        /// `{plan}`, `{date}`
        TitleScheduledDowngrade { en: "Downgrade to {plan} on {date}" },
        /// `{plan}`, `{date}`
        TitleScheduledUpgrade { en: "Upgrade to {plan} on {date}" },
        /// `{amount}`, `{plan}`
        SummaryCharge { en: "You will be charged {amount} today and your plan changes to {plan} right away." },
        /// `{plan}`, `{credit}`
        SummaryCredit { en: "Your plan changes to {plan} right away and {credit} of credit is added to your subscription." },
        /// `{plan}`
        SummaryNoCharge { en: "Your plan changes to {plan} right away. Nothing is charged today." },
        /// `{plan}`, `{date}`
        SummaryScheduled { en: "Your plan changes to {plan} on {date}. Nothing is charged today and you keep your current plan until then." },
        TableCaption { en: "What this change charges" },
        ColItem { en: "Item" },
        ColAmount { en: "Amount" },
        /// `{unit_price}`, `{quantity}`, `{percent}`
        LineArithmetic { en: "{unit_price} × {quantity} × {percent}% of the billing period" },
        NoLineItems { en: "Nothing is charged now." },
        CreditApplied { en: "Credit applied" },
        CreditAdded { en: "Credit added to your subscription" },
        /// `{amount}`
        CreditMinus { en: "−{amount} credit" },
        /// `{amount}`
        CreditPlus { en: "+{amount} credit" },
        CreditNote { en: "Credit stays with this subscription and is applied to your next renewals before your card is charged." },
        TrialLegend { en: "When should the change happen?" },
        /// `{date}`
        TrialWhenEnd { en: "When your trial ends on {date}: nothing is charged today" },
        TrialWhenNow { en: "Now: your trial ends today" },
        /// `{date}`
        TrialEndsOn { en: "Your free trial ends on {date}." },
        /// `{plan}`, `{date}`
        TrialOptionEnd { en: "Switch to {plan} when your trial ends on {date}: nothing is charged today." },
        /// `{plan}`, `{date}`, `{amount}`
        TrialOptionEndCharge { en: "Switch to {plan} when your trial ends on {date}: {amount} is charged today." },
        /// `{plan}`, `{amount}`
        TrialOptionNow { en: "Start {plan} now: pay {amount} today, your trial ends." },
        /// `{plan}`
        TrialOptionUnpriced { en: "{plan}: the price of this choice could not be calculated right now." },
        TrialChosen { en: "Your choice" },
        TrialChooseOther { en: "Choose the other option instead" },
        /// `{plan}`, `{date}`
        TitleTrialEnd { en: "Switch to {plan} when your trial ends on {date}" },
        /// `{plan}`, `{date}`
        SummaryTrialEnd { en: "Your trial continues until {date}, then your plan is {plan}. Nothing is charged today." },
        /// `{plan}`
        TitleTrialNow { en: "Start {plan} now" },
        /// `{amount}`, `{plan}`
        SummaryTrialNow { en: "You will be charged {amount} today, your trial ends and your plan changes to {plan} right away." },
        /// `{amount}`, `{plan}`, `{next}`, `{date}`
        ConsentTrialNow { en: "I'll be charged {amount} today for {plan} and my trial ends now, then {next} on {date} and each renewal after until I cancel." },
        /// `{date}`
        BillingMoves { en: "Your billing date moves to {date}." },
        /// `{credit}`, `{count}`, `{renewal}`, `{date}`
        CreditCoversMany { en: "{credit} credit: your next {count} renewals of {renewal} are covered; you pay again on {date}." },
        /// `{credit}`, `{renewal}`, `{date}`
        CreditCoversOne { en: "{credit} credit: your next renewal of {renewal} is covered; you pay again on {date}." },
        /// `{credit}`, `{count}`, `{renewal}`, `{date}`, `{pay}`
        CreditCoversManyPartly { en: "{credit} credit: your next {count} renewals of {renewal} are covered; on {date} you pay {pay} instead of {renewal}." },
        /// `{credit}`, `{renewal}`, `{date}`, `{pay}`
        CreditCoversOnePartly { en: "{credit} credit: your next renewal of {renewal} is covered; on {date} you pay {pay} instead of {renewal}." },
        /// `{credit}`, `{renewal}`, `{date}`, `{pay}`
        CreditLowersNext { en: "{credit} credit: on {date} you pay {pay} instead of {renewal}." },
        Tax { en: "Tax" },
        TotalDueToday { en: "Total due today" },
        NextBill { en: "Next bill" },
        /// `{value}`
        NextBillLine { en: "Next bill: {value}" },
        /// `{amount}`, `{date}`
        NextBillValue { en: "{amount} on {date}" },
        /// `{amount}`, `{date}`
        NextBillFromCredit { en: "{amount} on {date}, paid from your credit" },
        ChargedTo { en: "Paid with" },
        /// `{network}`, `{last4}`
        CardEnding { en: "{network} card ending in {last4}" },
        SavedMethod { en: "Your saved payment method" },
        /// `{amount}`, `{plan}`, `{next}`, `{date}`
        ConsentCharge { en: "I'll be charged {amount} today for {plan}, then {next} on {date} and each renewal after until I cancel." },
        /// `{plan}`, `{next}`, `{date}`
        ConsentNoCharge { en: "I understand my plan changes to {plan} right away, nothing is charged today, and my next bill is {next} on {date}." },
        /// `{plan}`, `{date}`, `{next}`
        ConsentScheduled { en: "I understand my plan changes to {plan} on {date}, when I'll be charged {next}, and nothing is charged today." },
        /// `{amount}`
        PayNow { en: "Pay {amount} now" },
        /// `{plan}`
        SwitchNowButton { en: "Switch to {plan} now" },
        /// `{plan}`, `{date}`
        SwitchOnButton { en: "Switch to {plan} on {date}" },
        Confirming { en: "Confirming…" },
        /// `{was}`, `{now}`
        DriftTotal { en: "The amount due today changed from {was} to {now}. Nothing was charged; check it and confirm again." },
        /// `{was}`, `{now}`
        DriftTax { en: "The tax changed from {was} to {now}. Nothing was charged; check it and confirm again." },
        /// `{was}`, `{now}`
        DriftCredits { en: "The credit changed from {was} to {now}. Nothing was charged; check it and confirm again." },
        /// `{was}`, `{now}`
        DriftCurrency { en: "The currency changed from {was} to {now}. Nothing was charged; check it and confirm again." },
        /// `{was}`, `{now}`
        DriftNextBilling { en: "The next billing date changed from {was} to {now}. Nothing was charged; check it and confirm again." },
        InFlightNotice { en: "Another change to your plan is already being processed, so nothing new was sent. Here it is." },
        PriceChanged { en: "The price of this change was updated. Please check the new amount and confirm again." },
        AlreadyOnPlan { en: "You are already on this plan." },
        PlanNotOffered { en: "This plan is not available for your subscription." },
        ChangeFailed { en: "We could not change your plan. Nothing was charged. Please try again." },
        /// `{plan}`, `{date}`
        ScheduledBanner { en: "Your plan changes to {plan} on {date}." },
        UndoButton { en: "Undo the scheduled change" },
        /// `{plan}`
        UndoDone { en: "Done: you stay on {plan}." },
        UndoFailed { en: "We could not undo the scheduled change. Please try again." },
        /// `{plan}`
        PendingBanner { en: "Your change to {plan} is being processed." },
        SeeStatus { en: "See its status" },
        OnHoldBanner { en: "Your subscription is on hold because a payment failed. Update your payment method to pay and reactivate it." },
        UpdatePaymentMethod { en: "Update payment method" },
        InactiveBanner { en: "This subscription is not active, so its plan cannot be changed here." },
        BackToPlans { en: "Back to plans" },
        DownsellHeading { en: "Before you downgrade" },
        /// `{plan}`, `{price}`
        DownsellTry { en: "See the price of {plan}" },
        /// `{plan}`
        DownsellDecline { en: "No thanks, continue to {plan}" },
        ProcessingTitle { en: "Changing your plan…" },
        ProcessingBody { en: "We are waiting for Dodo Payments to confirm the change. This usually takes a few seconds." },
        CheckAgain { en: "Check again" },
        /// `{plan}`
        SuccessTitle { en: "You are now on {plan}" },
        /// `{amount}`, `{date}`
        SuccessNextBill { en: "Your next bill is {amount} on {date}." },
        /// `{plan}`, `{date}`
        ScheduledTitle { en: "Your plan changes to {plan} on {date}" },
        ScheduledBody { en: "Nothing is charged today. You keep your current plan until then." },
        UndoneTitle { en: "This scheduled change was undone" },
        /// `{plan}`
        UndoneBody { en: "You stay on {plan}. Nothing was charged." },
        DeclinedTitle { en: "Your payment did not go through" },
        /// `{plan}`
        DeclinedBody { en: "The charge was declined, so your plan has not changed: you are still on {plan}. Update your payment method, then try again." },
        OnHoldTitle { en: "Your subscription is on hold" },
        /// `{plan}`
        OnHoldBody { en: "Your plan changed to {plan}, but the payment failed, so the subscription is on hold. Update your payment method to pay and reactivate it." },
        PendingExistsTitle { en: "A plan change is already in progress" },
        PendingExistsBody { en: "An earlier change is still waiting for its payment. Once it completes, you can change your plan again." },
        /// `{amount}`
        PendingPayment { en: "Payment being processed: {amount}." },
        FailedTitle { en: "We could not change your plan" },
        FailedBody { en: "Nothing was charged and your plan has not changed. Please try again in a moment." },
        ActionTitle { en: "Your bank needs you to confirm this payment" },
        ActionBody { en: "Open the secure page from Dodo Payments to confirm the payment." },
        ActionLink { en: "Confirm the payment" },
        DemoTitle { en: "Try the plan-change page" },
        DemoIntro { en: "The built-in Dodo sandbox has these demo subscriptions. Each link below is signed for one day." },
        /// `{customer}`, `{subscription}`
        DemoLink { en: "Change the plan of {customer} ({subscription})" },
        /// `{day}`, `{month}`, `{year}`
        DateFormat { en: "{day} {month} {year}" },
        Month1 { en: "January" },
        Month2 { en: "February" },
        Month3 { en: "March" },
        Month4 { en: "April" },
        Month5 { en: "May" },
        Month6 { en: "June" },
        Month7 { en: "July" },
        Month8 { en: "August" },
        Month9 { en: "September" },
        Month10 { en: "October" },
        Month11 { en: "November" },
        Month12 { en: "December" },
    }
}
