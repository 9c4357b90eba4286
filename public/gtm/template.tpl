___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "LivePerson proactive engagement",
  "categories": [
    "CHAT"
  ],
  "brand": {
    "id": "brand_dummy",
    "displayName": "lp-engagement-tag"
  },
  "description": "Loads the engagement tag (tag.js): asks LivePerson's Monitoring API whether to offer this visitor a chat and shows the offer. Gated by a consent-mode type (default functionality_storage).",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "TEXT",
    "name": "tagUrl",
    "displayName": "Tag URL",
    "simpleValueType": true,
    "defaultValue": "https://tags.example.com/lp-tag/tag.js",
    "alwaysInSummary": true,
    "help": "Where you host tag.js (https). Also put this URL in the template's Permissions tab, under \"Injects scripts\": the template may load that URL and no other.",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      },
      {
        "type": "REGEX",
        "args": [
          "^https://[^\\s]+$"
        ]
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "account",
    "displayName": "Account (site) id",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "valueHint": "12345678",
    "help": "Your LivePerson account id: 1-64 letters, digits, _ or -.",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      },
      {
        "type": "REGEX",
        "args": [
          "^[A-Za-z0-9_-]{1,64}$"
        ]
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "app",
    "displayName": "App installation id",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "valueHint": "a1b2c3",
    "help": "The app installation id of the Monitoring API: 1-128 letters, digits, _ . or -.",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      },
      {
        "type": "REGEX",
        "args": [
          "^[A-Za-z0-9_.-]{1,128}$"
        ]
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "domain",
    "displayName": "API domain",
    "simpleValueType": true,
    "alwaysInSummary": true,
    "valueHint": "va.v.liveperson.net",
    "help": "Your account's Monitoring API host, as LivePerson's Domain API gives it (service smt).",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ]
  },
  {
    "type": "TEXT",
    "name": "sections",
    "displayName": "Sections",
    "simpleValueType": true,
    "valueHint": "shop, checkout",
    "help": "Comma-separated sections of this page, as the campaigns target them. Leave empty for none."
  },
  {
    "type": "TEXT",
    "name": "catalogUrl",
    "displayName": "Engagement catalog URL",
    "simpleValueType": true,
    "valueHint": "https://www.example.com/engagements.json",
    "help": "Optional: the JSON catalog that gives each engagement its format and words (README, \"Engagement catalog\")."
  },
  {
    "type": "SELECT",
    "name": "format",
    "displayName": "Format when the catalog has none",
    "simpleValueType": true,
    "defaultValue": "",
    "selectItems": [
      {
        "value": "",
        "displayValue": "Tag default (slide-out)"
      },
      {
        "value": "peeling",
        "displayValue": "Peeling corner"
      },
      {
        "value": "overlay",
        "displayValue": "Overlay"
      },
      {
        "value": "toaster",
        "displayValue": "Toaster"
      },
      {
        "value": "slideout",
        "displayValue": "Slide-out"
      },
      {
        "value": "embedded",
        "displayValue": "Embedded"
      },
      {
        "value": "sticky",
        "displayValue": "Sticky bar"
      }
    ]
  },
  {
    "type": "SELECT",
    "name": "consentType",
    "displayName": "Consent that gates the tag",
    "simpleValueType": true,
    "defaultValue": "functionality_storage",
    "help": "Until this consent type is granted in Google's consent mode, the tag sends nothing and stores nothing; when it is withdrawn, the visitor's ids are erased. A type your site never sets counts as granted (Google's rule).",
    "selectItems": [
      {
        "value": "functionality_storage",
        "displayValue": "functionality_storage"
      },
      {
        "value": "personalization_storage",
        "displayValue": "personalization_storage"
      },
      {
        "value": "analytics_storage",
        "displayValue": "analytics_storage"
      },
      {
        "value": "ad_storage",
        "displayValue": "ad_storage"
      },
      {
        "value": "none",
        "displayValue": "None (the site decides consent itself)"
      }
    ]
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// Installs the engagement tag as its README's pre-load path does (tag managers may strip data-*
// attributes; window.lpTag they cannot), and keeps the tag's consent in step with Google's consent
// mode for the chosen type.
const addConsentListener = require('addConsentListener');
const callInWindow = require('callInWindow');
const copyFromWindow = require('copyFromWindow');
const injectScript = require('injectScript');
const isConsentGranted = require('isConsentGranted');
const makeString = require('makeString');
const setInWindow = require('setInWindow');

// The pre-load object: kept if the page made one (it may hold queued SDEs or listeners).
setInWindow('lpTag', {}, false);
setInWindow('lpTag.site', data.account, true);
setInWindow('lpTag.app', data.app, true);
setInWindow('lpTag.domain', data.domain, true);
// A variable may give the sections as a number or a list: as text, comma-separated.
const sections = makeString(data.sections || '').split(',').map((section) => section.trim()).filter((section) => section.length > 0);
if (sections.length > 0) setInWindow('lpTag.section', sections, true);
if (data.catalogUrl) setInWindow('lpTag.engagements', data.catalogUrl, true);
if (data.format) setInWindow('lpTag.format', data.format, true);

// Before the tag has loaded, its consent is a pre-load value ('pending' sends and stores nothing);
// once it has, lpTag.consent(false) also erases the ids it stored.
const gate = data.consentType || 'functionality_storage';
const gated = gate !== 'none';
const tellTag = (granted) => {
  if (copyFromWindow('lpTag.loaded') === true) callInWindow('lpTag.consent', granted);
  else setInWindow('lpTag.consent', granted ? 'granted' : 'pending', true);
};
if (gated) {
  tellTag(isConsentGranted(gate));
  addConsentListener(gate, (consentType, granted) => tellTag(granted));
}

// One script however often the tag fires (the tag itself also starts one flow per page). Once it
// has loaded, consent denied erases what an earlier page view stored, as a withdrawal does.
injectScript(data.tagUrl, () => {
  if (gated) tellTag(isConsentGranted(gate));
  data.gtmOnSuccess();
}, data.gtmOnFailure, 'lp-engagement-tag');


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.site"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.app"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.domain"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.section"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.engagements"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.format"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.consent"
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": true
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "key"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  },
                  {
                    "type": 1,
                    "string": "execute"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "lpTag.loaded"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://tags.example.com/lp-tag/tag.js"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_consent",
        "versionId": "1"
      },
      "param": [
        {
          "key": "consentTypes",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "functionality_storage"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "personalization_storage"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "analytics_storage"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  {
                    "type": 1,
                    "string": "consentType"
                  },
                  {
                    "type": 1,
                    "string": "read"
                  },
                  {
                    "type": 1,
                    "string": "write"
                  }
                ],
                "mapValue": [
                  {
                    "type": 1,
                    "string": "ad_storage"
                  },
                  {
                    "type": 8,
                    "boolean": true
                  },
                  {
                    "type": 8,
                    "boolean": false
                  }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Granted at once - the pre-load object, consent granted, the tag injected
  code: |-
    let injected;
    mock('isConsentGranted', true);
    mock('injectScript', (url, onSuccess, onFailure, cacheToken) => {
      injected = [url, cacheToken];
    });
    runCode(mockData);
    assertApi('setInWindow').wasCalledWith('lpTag', {}, false);
    assertApi('setInWindow').wasCalledWith('lpTag.site', '12345678', true);
    assertApi('setInWindow').wasCalledWith('lpTag.app', 'a1b2c3', true);
    assertApi('setInWindow').wasCalledWith('lpTag.domain', 'va.v.liveperson.net', true);
    assertApi('setInWindow').wasCalledWith('lpTag.consent', 'granted', true);
    assertThat(injected).isEqualTo([mockData.tagUrl, 'lp-engagement-tag']);
- name: Denied - pending before the tag loads, then lpTag.consent(true) and (false) after
  code: |-
    let listener;
    let loaded = false;
    mock('isConsentGranted', false);
    mock('addConsentListener', (consentType, callback) => {
      listener = callback;
    });
    mock('copyFromWindow', (key) => key === 'lpTag.loaded' ? loaded : undefined);
    runCode(mockData);
    assertApi('setInWindow').wasCalledWith('lpTag.consent', 'pending', true);
    assertApi('callInWindow').wasNotCalled();
    loaded = true;
    listener('functionality_storage', true);
    assertApi('callInWindow').wasCalledWith('lpTag.consent', true);
    listener('functionality_storage', false);
    assertApi('callInWindow').wasCalledWith('lpTag.consent', false);
- name: Denied when the tag loads - lpTag.consent(false) erases what an earlier page view stored
  code: |-
    let loaded = false;
    mock('isConsentGranted', false);
    mock('copyFromWindow', (key) => key === 'lpTag.loaded' ? loaded : undefined);
    mock('injectScript', (url, onSuccess) => {
      loaded = true;
      onSuccess();
    });
    runCode(mockData);
    assertApi('callInWindow').wasCalledWith('lpTag.consent', false);
    assertApi('gtmOnSuccess').wasCalled();
- name: Granted before the tag has loaded - the pre-load value becomes granted
  code: |-
    let listener;
    mock('isConsentGranted', false);
    mock('addConsentListener', (consentType, callback) => {
      listener = callback;
    });
    runCode(mockData);
    listener('functionality_storage', true);
    assertApi('setInWindow').wasCalledWith('lpTag.consent', 'granted', true);
    assertApi('callInWindow').wasNotCalled();
- name: Sections, catalog and format from the fields
  code: |-
    mock('isConsentGranted', true);
    mockData.sections = ' shop, ,checkout ';
    mockData.catalogUrl = 'https://www.example.com/engagements.json';
    mockData.format = 'toaster';
    runCode(mockData);
    assertApi('setInWindow').wasCalledWith('lpTag.section', ['shop', 'checkout'], true);
    assertApi('setInWindow').wasCalledWith('lpTag.engagements', 'https://www.example.com/engagements.json', true);
    assertApi('setInWindow').wasCalledWith('lpTag.format', 'toaster', true);
- name: Sections from a variable giving a number
  code: |-
    mock('isConsentGranted', true);
    mockData.sections = 42;
    runCode(mockData);
    assertApi('setInWindow').wasCalledWith('lpTag.section', ['42'], true);
- name: Not gated - no consent read, none set
  code: |-
    mockData.consentType = 'none';
    runCode(mockData);
    assertApi('isConsentGranted').wasNotCalled();
    assertApi('addConsentListener').wasNotCalled();
    assertApi('injectScript').wasCalled();
setup: |-
  const mockData = {
    tagUrl: 'https://tags.example.com/lp-tag/tag.js',
    account: '12345678',
    app: 'a1b2c3',
    domain: 'va.v.liveperson.net',
    sections: '',
    catalogUrl: '',
    format: '',
    consentType: 'functionality_storage'
  };


___NOTES___

The engagement tag's Google Tag Manager template: public/gtm/template.tpl. Import it in Templates > Tag Templates > New > Import, then set your tag URL in the Permissions tab (Injects scripts).
