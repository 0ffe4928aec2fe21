"""What the four current-format seeds hold, read off the texts by hand.

Every printed cell not listed under `nonzero` is 0 in the report.
"""

CURRENT_SEEDS = {
    "2023-wulanchabu-commerce-2021format-one-cell-per-line.txt": {
        "agency": "乌兰察布市市商务局",  # the text doubles 市; shown as printed
        "year": 2023,
        "nonzero": {"art20.licensing.decisions": 14},
        "lines": {
            "art20.regulation.issued": 17,
            "art20.licensing.decisions": 30,
            "art20.fees.amount": 49,
            "apply.new.natural_person": 65,
            "apply.carried_out.total": 292,
            "review.upheld": 316,
            "litigation.after_review.total": 330,
        },
    },
    "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt": {
        "agency": "嘉兴市商务局",  # the name in Simplified script; printed in Traditional:
        "agency_printed": "嘉興市商務局",
        "year": 2024,
        "nonzero": {
            "art20.normative.in_force": 1,
            "art20.licensing.decisions": 111,
            "apply.new.natural_person": 3,
            "apply.new.total": 3,
            "apply.unable.not_held.natural_person": 1,
            "apply.unable.not_held.total": 1,
            "apply.not_processed.excessive.natural_person": 2,
            "apply.not_processed.excessive.total": 2,
            "apply.total.natural_person": 3,
            "apply.total.total": 3,
        },
        "lines": {
            "art20.normative.in_force": 18,
            "apply.new.total": 33,
            "apply.unable.not_held.total": 45,
            "apply.carried_out.total": 57,
            "review.upheld": 62,
        },
    },
    "2023-baofeng-commerce-2021format-tabs.txt": {
        "agency": "宝丰县商务局",
        "year": 2023,
        "nonzero": {},
        # line 60 is the row that lost its leading tabs
        "lines": {
            "art20.regulation.issued": 23,
            "apply.not_processed.confirmation.total": 60,
            "apply.total.total": 64,
            "litigation.direct.upheld": 72,
        },
    },
    "2021-fushun-market-regulation-2021format-traditional-broken-rows.txt": {
        "agency": "抚顺市市场监督管理局",
        "agency_printed": "撫順市市場監督管理局",
        "year": 2021,
        "nonzero": {
            "art20.normative.issued": 2,
            "art20.normative.in_force": 2,
            "art20.licensing.decisions": 3948,
            "art20.penalty.decisions": 284,
            "art20.coercion.decisions": 57,
        },
        # rows 59 and 61 are broken: their 总计 values stand on lines 60 and 62
        "lines": {
            "art20.licensing.decisions": 27,
            "apply.other.no_correction.other_org": 59,
            "apply.other.no_correction.total": 60,
            "apply.other.no_fee.total": 62,
            "review.upheld": 70,
        },
    },
}
