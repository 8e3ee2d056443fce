/** @odoo-module */
// The year-end close as an accountant clicks it. Signing happens in Altinn (another site),
// so the flow is two tours: the test signs and lets BRG decide between them.
import { registry } from "@web/core/registry";

const COMPANY = "Fjordlys Rørlegger AS";
const NOTE_TEXT = "Egne regnskapsprinsipper, skrevet i nettleseren.";

function openYearEndMenu(item) {
    return [
        {
            content: "Open the Year-end menu",
            trigger: ".o_main_navbar button.dropdown-toggle:contains('Year-end')",
            run: "click",
        },
        {
            content: `Open ${item}`,
            trigger: `.o-dropdown--menu .dropdown-item:contains('${item}')`,
            run: "click",
        },
    ];
}

function openTab(name) {
    return {
        content: `Open the ${name} tab`,
        trigger: `.o_notebook .nav-link:contains('${name}')`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("l10n_no_aa_file", {
    steps: () => [
        {
            content: "The overview lists the client's year, not filed yet",
            trigger: `.o_list_view .o_data_row:contains('${COMPANY}'):contains('Not started')`,
        },
        ...openYearEndMenu("Preview"),
        {
            content: "The preview shows the income statement from the ledger",
            trigger: ".o_form_view .o_data_row:contains('Salgsinntekt'):contains('200,000.00')",
        },
        openTab("Balance sheet"),
        {
            content: "and a balance sheet",
            trigger: ".o_form_view .o_data_row:contains('Sum eiendeler')",
        },
        ...openYearEndMenu("Bureau overview"),
        {
            content: "Open the client's year: a draft is made",
            trigger: `.o_data_row:contains('${COMPANY}') button[name=action_open_filing]`,
            run: "click",
        },
        {
            content: "The draft is open",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')",
        },
        openTab("Notes"),
        {
            content: "Open the note on accounting principles",
            trigger: "div[name=note_ids] .o_data_row:contains('Regnskapsprinsipper') td[name=title]",
            run: "click",
        },
        {
            content: "Rewrite it",
            trigger: ".modal div[name=body_text] textarea",
            run: `edit ${NOTE_TEXT}`,
        },
        {
            content: "Keep the note",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The note is marked edited",
            trigger: "div[name=note_ids] .o_data_row:contains('Regnskapsprinsipper')",
        },
        openTab("Filing"),
        {
            content: "The general meeting approved the accounts",
            trigger: "div[name=approval_date] input",
            run: "edit 05/20/2026",
        },
        {
            content: "Full-time equivalents for the notes",
            trigger: "div[name=full_time_equivalents] input",
            run: "edit 1.5",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        openTab("BRG validation"),
        {
            content: "Brønnøysundregistrene's checks pass",
            trigger: ".o_notebook p:contains('find nothing to report')",
        },
        {
            content: "Submit to Altinn",
            trigger: ".o_form_statusbar button[name=action_submit]",
            run: "click",
        },
        {
            content: "Sent and waiting for the signature",
            trigger: ".alert-info:contains('Sent to Altinn and locked') a:contains('/inbox/')",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
    ],
});

registry.category("web_tour.tours").add("l10n_no_aa_approve_and_allocate", {
    steps: () => [
        {
            content: "Signed in Altinn and approved by BRG: ask Altinn",
            trigger: ".o_form_statusbar button[name=action_altinn_refresh]",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
        {
            content: "The receipt is attached",
            trigger: "div[name=altinn_receipt_id]:contains('Altinn receipt')",
        },
        {
            content: "Go to the year's allocation",
            trigger: ".o_form_statusbar button[name=action_open_allocation]",
            run: "click",
        },
        {
            content: "The board confirms",
            trigger: ".o_form_view div[name=board_confirmation] input",
            run: "click",
        },
        {
            content: "Book what the figures imply",
            trigger: ".o_form_statusbar button[name=action_use_suggested_lines]",
            run: "click",
        },
        openTab("Journal entry"),
        {
            content: "The suggested lines",
            trigger: "div[name=line_ids] .o_data_row:contains('8960')",
        },
        {
            content: "Post",
            trigger: ".o_form_statusbar button[name=action_post]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The entry is posted",
            trigger: ".o_form_view div[name=move_state]:contains('Posted')",
        },
    ],
});
