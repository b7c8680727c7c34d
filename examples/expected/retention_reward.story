=> best action: PremiumCardUpgrade [MobileBanner] (Sales)
=> best action: LoyaltyBonusRate [MobileBanner] (Retention)
Retention / Savings / LoyaltyBonusRate [WebHero]        filtered at contact: 3RejectionsIn30Days
=> best action: PremiumCardUpgrade [WebHero] (Sales)
=> best action: DoublePointsOnTravel [MobileBanner] (Loyalty)
filtered at consent: opted out of Push
=> best action: none
=> best action: DoublePointsOnTravel [Email] (Loyalty)
=> best action: FeeWaiver [CallScript] (Service)
