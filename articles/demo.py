"""Demo content for ``manage.py load_demo``: three articles written for Clonus, their topics
and the sources they cite.

``TOPICS`` maps each topic's name to its one-sentence description; every article's ``topic``
is one of those names. ``ARTICLES`` lists the articles, the one on clonus first.

The articles were written from scratch in our own words (no sentence of the sample article
the clonus article replaces was reused, nor of any other text), and every source below is a
real publication whose volume, issue, pages, DOI and PMID are given only where they were
checked. The articles cite only these sources, each for what it covers.
"""

TOPICS = {
    "Neurology": (
        "Conditions of the brain, spinal cord and nerves, and the signs doctors look for when "
        "these pathways are not working as they should."
    ),
    "Medicines": (
        "How medicines act on the body, the reactions and interactions they can cause, and how to use them safely."
    ),
}

SOURCES = [
    # --- The five sources of the original sample article -------------------
    {
        "key": "elwes1985",
        "kind": "article-journal",
        "title": "Prognosis after a first untreated tonic-clonic seizure",
        "authors": [("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")],
        "container_title": "Lancet",
        "year": 1985,
        "volume": "2",
        "issue": "8458",
        "pages": "752-3",
        "publisher": "",
        "doi": "",
        "pmid": "",
        "url": "",
    },
    {
        "key": "tudursmith2001",
        "kind": "article-journal",
        "title": (
            "Phenytoin versus valproate monotherapy for partial onset seizures "
            "and generalized onset tonic-clonic seizures"
        ),
        "authors": [("Tudur Smith", "C"), ("Marson", "AG"), ("Williamson", "PR")],
        "container_title": "Cochrane Database Syst Rev",
        "year": 2001,
        "volume": "",
        "issue": "",
        "pages": "CD001769",
        "publisher": "",
        "doi": "10.1002/14651858.CD001769",
        "pmid": "11687121",
        "url": "",
    },
    {
        "key": "haber2001",
        "kind": "article-journal",
        "title": "Generalized tonic-clonic activity after remifentanil administration",
        "authors": [("Haber", "GW"), ("Litman", "RS")],
        "container_title": "Anesth Analg",
        "year": 2001,
        "volume": "93",
        "issue": "6",
        "pages": "",
        "publisher": "",
        "doi": "10.1097/00000539-200112000-00040",
        "pmid": "",
        "url": "",
    },
    {
        "key": "armelisasso2004",
        "kind": "article-journal",
        "title": ("Tonic-clonic seizures in a patient with primary hypoparathyroidism: a case report"),
        "authors": [
            ("Armelisasso", "C"),
            ("Vaccario", "ML"),
            ("Pontecorvi", "A"),
            ("Mazza", "S"),
        ],
        "container_title": "Clin EEG Neurosci",
        "year": 2004,
        "volume": "35",
        "issue": "",
        "pages": "",
        "publisher": "",
        "doi": "",
        "pmid": "",
        "url": "",
    },
    {
        "key": "vandevel2014",
        "kind": "article-journal",
        "title": (
            "Critical evaluation of four different seizure detection systems "
            "tested on one patient with focal and generalized tonic and clonic "
            "seizures"
        ),
        "authors": [("Van de Vel", "A"), ("Verhaert", "K"), ("Ceulemans", "B")],
        "container_title": "Epilepsy Behav",
        "year": 2014,
        "volume": "",
        "issue": "",
        "pages": "",
        "publisher": "",
        "doi": "",
        "pmid": "",
        "url": "",
    },
    # --- Sources on clonus itself, its causes and its treatment -----------
    {
        "key": "boyraz2015",
        "kind": "article-journal",
        "title": "Clonus: definition, mechanism, treatment",
        "authors": [("Boyraz", "I"), ("Uysal", "H"), ("Koc", "B"), ("Sarman", "H")],
        "container_title": "Med Glas (Zenica)",
        "year": 2015,
        "volume": "12",
        "issue": "1",
        "pages": "",
        "publisher": "",
        "doi": "",
        "pmid": "",
        "url": "",
    },
    {
        "key": "lance1980",
        "kind": "chapter",
        "title": "Symposium synopsis",
        "authors": [("Lance", "JW")],
        "editors": [("Feldman", "RG"), ("Young", "RR"), ("Koella", "WP")],
        "container_title": "Spasticity: disordered motor control",
        "year": 1980,
        "volume": "",
        "issue": "",
        "pages": "485-94",
        "publisher": "Year Book Medical Publishers",
        "publisher_place": "Chicago",
        "doi": "",
        "pmid": "",
        "url": "",
    },
    {
        "key": "thibaut2013",
        "kind": "article-journal",
        "title": "Spasticity after stroke: physiology, assessment and treatment",
        "authors": [
            ("Thibaut", "A"),
            ("Chatelle", "C"),
            ("Ziegler", "E"),
            ("Bruno", "MA"),
            ("Laureys", "S"),
            ("Gosseries", "O"),
        ],
        "container_title": "Brain Inj",
        "year": 2013,
        "volume": "",
        "issue": "",
        "pages": "",
        "publisher": "",
        "doi": "10.3109/02699052.2013.804202",
        "pmid": "",
        "url": "",
    },
    {
        "key": "kiernan2011",
        "kind": "article-journal",
        "title": "Amyotrophic lateral sclerosis",
        "authors": [
            ("Kiernan", "MC"),
            ("Vucic", "S"),
            ("Cheah", "BC"),
            ("Turner", "MR"),
            ("Eisen", "A"),
            ("Hardiman", "O"),
            ("Burrell", "JR"),
            ("Zoing", "MC"),
        ],
        "container_title": "Lancet",
        "year": 2011,
        "volume": "377",
        "issue": "9769",
        "pages": "942-55",
        "publisher": "",
        "doi": "10.1016/S0140-6736(10)61156-7",
        "pmid": "21296405",
        "url": "",
    },
    {
        "key": "boyer2005",
        "kind": "article-journal",
        "title": "The serotonin syndrome",
        "authors": [("Boyer", "EW"), ("Shannon", "M")],
        "container_title": "N Engl J Med",
        "year": 2005,
        "volume": "352",
        "issue": "11",
        "pages": "1112-20",
        "publisher": "",
        "doi": "10.1056/NEJMra041867",
        "pmid": "15784664",
        "url": "",
    },
    {
        "key": "dunkley2003",
        "kind": "article-journal",
        "title": (
            "The Hunter Serotonin Toxicity Criteria: simple and accurate "
            "diagnostic decision rules for serotonin toxicity"
        ),
        "authors": [
            ("Dunkley", "EJC"),
            ("Isbister", "GK"),
            ("Sibbritt", "D"),
            ("Dawson", "AH"),
            ("Whyte", "IM"),
        ],
        "container_title": "QJM",
        "year": 2003,
        "volume": "96",
        "issue": "9",
        "pages": "635-42",
        "publisher": "",
        "doi": "10.1093/qjmed/hcg109",
        "pmid": "12925718",
        "url": "",
    },
    {
        "key": "caviness2004",
        "kind": "article-journal",
        "title": "Myoclonus: current concepts and recent advances",
        "authors": [("Caviness", "JN"), ("Brown", "P")],
        "container_title": "Lancet Neurol",
        "year": 2004,
        "volume": "3",
        "issue": "10",
        "pages": "598-607",
        "publisher": "",
        "doi": "",
        "pmid": "15380156",
        "url": "",
    },
    {
        "key": "fisher2017",
        "kind": "article-journal",
        "title": (
            "Operational classification of seizure types by the International "
            "League Against Epilepsy: Position Paper of the ILAE Commission for "
            "Classification and Terminology"
        ),
        "authors": [
            ("Fisher", "RS"),
            ("Cross", "JH"),
            ("French", "JA"),
            ("Higurashi", "N"),
            ("Hirsch", "E"),
            ("Jansen", "FE"),
            ("Lagae", "L"),
            ("Moshé", "SL"),
            ("Peltola", "J"),
            ("Roulet Perez", "E"),
            ("Scheffer", "IE"),
            ("Zuberi", "SM"),
        ],
        "container_title": "Epilepsia",
        "year": 2017,
        "volume": "58",
        "issue": "4",
        "pages": "522-30",
        "publisher": "",
        "doi": "10.1111/epi.13670",
        "pmid": "",
        "url": "",
    },
    {
        "key": "chou2004",
        "kind": "article-journal",
        "title": (
            "Comparative efficacy and safety of skeletal muscle relaxants for "
            "spasticity and musculoskeletal conditions: a systematic review"
        ),
        "authors": [("Chou", "R"), ("Peterson", "K"), ("Helfand", "M")],
        "container_title": "J Pain Symptom Manage",
        "year": 2004,
        "volume": "28",
        "issue": "2",
        "pages": "140-75",
        "publisher": "",
        "doi": "10.1016/j.jpainsymman.2004.05.002",
        "pmid": "15276195",
        "url": "",
    },
    {
        "key": "nice2012",
        "kind": "report",
        "title": "Spasticity in under 19s: management (NICE clinical guideline CG145)",
        "authors": [("National Institute for Health and Care Excellence", "")],
        "container_title": "",
        "year": 2012,
        "volume": "",
        "issue": "",
        "pages": "",
        "publisher": "NICE",
        "publisher_place": "London",
        "doi": "",
        "pmid": "",
        "url": "https://www.nice.org.uk/guidance/cg145",
    },
]

CLONUS = {
    "title": "Clonus: what it is, why it happens and how it is treated",
    "slug": "clonus",
    "summary": (
        "Clonus is a rhythmic, involuntary beating of a muscle that is set off "
        "by a sudden stretch, most often tested at the ankle. It is a sign that "
        "the nerve pathways from the brain and spinal cord are not working "
        "normally, or occasionally of serotonin toxicity, and it is not the "
        "same thing as a clonic seizure."
    ),
    "topic": "Neurology",
    "byline": "Clonus editorial team",
    "sections": [
        {
            "heading": "What is clonus?",
            "body": """Clonus is a run of involuntary muscle contractions and relaxations that follow one another in a steady rhythm when a muscle is suddenly stretched. The best-known example is at the ankle: if the foot is pushed briskly upwards and held there, the calf muscles start to beat, so the foot bobs up and down, typically several times a second [@boyraz2015]. Clonus can also be found at the knee, the wrist, the jaw and in other muscles [@boyraz2015].

Clonus is a **sign**, not a disease in its own right. In most people it tells a doctor that the nerve pathways running from the brain down through the spinal cord (the *upper motor neurons*), which normally keep our reflexes in check, have been damaged [@boyraz2015]. Less often it is a sign that the nervous system is being overstimulated by a drug reaction called serotonin toxicity [@dunkley2003].

People who have clonus may notice it as a shaking or bouncing of one foot, for example when resting the ball of the foot on a step or a pedal.""",
        },
        {
            "heading": "How do doctors examine for clonus?",
            "body": """The usual test takes a few seconds and should not hurt. With you lying or sitting relaxed and the knee slightly bent, the examiner supports your leg, moves your foot sharply upwards and keeps it there. If clonus is present, the foot beats rhythmically against the examiner's hand [@boyraz2015]. The knee can be tested by pushing the kneecap quickly downwards, and the wrist by bending it back.

Doctors pay attention to how long the beating goes on:

- **Unsustained clonus**: a few beats that die away by themselves. This can be seen in some healthy people, particularly when they are tense, and on its own it does not necessarily mean anything is wrong.
- **Sustained clonus**: beating that continues for as long as the stretch is held. This is regarded as abnormal and points to a problem in the brain or spinal cord [@boyraz2015].

Clonus is always interpreted together with the rest of the neurological examination, such as muscle tone, strength and tendon reflexes. In rehabilitation, the related problem of spasticity is also graded with standard rating scales [@thibaut2013].""",
        },
        {
            "heading": "What causes clonus?",
            "body": """Most clonus is caused by damage to the upper motor neurons. When these pathways are injured, the spinal cord's stretch reflexes lose some of their normal control from above and become over-excitable [@boyraz2015; @lance1980]. Conditions that can cause this include:

- stroke [@thibaut2013]
- multiple sclerosis [@chou2004]
- spinal cord injury or pressure on the spinal cord
- cerebral palsy, the most common cause of spasticity in children [@nice2012]
- brain injury
- motor neurone disease (amyotrophic lateral sclerosis, ALS), which damages upper as well as lower motor neurons [@kiernan2011]

Clonus can also appear for a short time when the nervous system is overstimulated rather than structurally damaged. The most important example is serotonin toxicity, described in the next section [@boyer2005].""",
        },
        {
            "heading": "Why does clonus matter in serotonin toxicity?",
            "body": """Serotonin toxicity (often called serotonin syndrome) is a reaction to having too much serotonin activity in the nervous system. It can happen with normal use of a medicine, after an overdose, or when two or more drugs that raise serotonin are taken together. Examples include many antidepressants, some painkillers such as tramadol, and recreational drugs such as MDMA (ecstasy) [@boyer2005].

Clonus is one of the most useful clues. In a large study of people admitted to hospital after overdoses of serotonergic drugs, clonus was one of a handful of findings that best identified true serotonin toxicity, together with agitation, heavy sweating, tremor and overactive reflexes. The clonus could be triggered at the ankle (*inducible*), happen on its own (*spontaneous*) or affect the eyes (*ocular clonus*). These findings became the **Hunter criteria**, which doctors use to make the diagnosis [@dunkley2003]. Ocular clonus shows up as slow, continuous side-to-side movements of the eyes [@boyer2005].

Mild cases may settle once the drug is stopped, but severe serotonin toxicity, with rigid muscles and a high temperature, is a medical emergency [@boyer2005; @dunkley2003].""",
        },
        {
            "heading": "How is clonus related to spasticity and hyperreflexia?",
            "body": """**Spasticity** is classically defined as muscle stiffness that depends on speed: the faster a limb is moved, the more the muscle resists. It comes with exaggerated tendon jerks and is caused by an over-excitable stretch reflex, as one part of the upper motor neuron syndrome [@lance1980, p. 485]. **Hyperreflexia** simply means tendon reflexes, such as the knee jerk, that are brisker than normal.

Clonus lies at the extreme end of the same problem. The stretch reflex is so excitable that one stretch causes a contraction; as the muscle relaxes it is stretched again, which triggers the next contraction, and so on. This self-repeating loop is the most widely accepted explanation, although some researchers think a rhythm generator in the spinal cord also plays a part [@boyraz2015].

Because they share a cause, clonus, spasticity and brisk reflexes often appear together, for example after a stroke [@thibaut2013]. They are not the same thing, however, and treatment depends on how much these features get in the way of daily life and on the person's own goals, not simply on whether clonus can be found [@nice2012].""",
        },
        {
            "heading": "How is clonus different from myoclonus?",
            "body": """**Myoclonus** is a sudden, brief, shock-like jerk caused by involuntary muscle activity. Some myoclonus is entirely normal, such as hiccups or the jerk many people feel as they drift off to sleep. Other forms are linked to epilepsy, lack of oxygen to the brain, metabolic problems, reactions to drugs or degenerative brain diseases [@caviness2004].

The main differences are:

- **What sets it off.** Clonus is triggered by stretching a muscle [@boyraz2015]. Myoclonus can happen at rest, during movement, or in response to things such as touch or noise [@caviness2004].
- **Rhythm.** Clonus is a regular beat that repeats several times a second [@boyraz2015]; myoclonus is usually a single jerk or an irregular series of jerks, although some forms are rhythmic.
- **Where it comes from.** Clonus reflects over-active stretch reflexes after upper motor neuron damage [@boyraz2015]. Myoclonus most often starts in the outer layer of the brain (the motor cortex), but it can also come from deeper brain areas, the brainstem, the spinal cord or the nerves [@caviness2004].""",
        },
        {
            "heading": "Is clonus the same as a clonic seizure?",
            "body": """No. The words are related, because *clonic* describes rhythmic jerking, but the two are different. In a **clonic seizure**, the jerking is driven by abnormal electrical activity in the brain and needs no stretch to start it; in a **tonic-clonic seizure**, a phase of stiffening is followed by rhythmic jerking. The International League Against Epilepsy recognises both as seizure types, which can start in one part of the brain or involve both sides [@fisher2017]. Clonus, by contrast, is a reflex sign that a doctor brings out by stretching a muscle.

Research on tonic-clonic seizures is therefore research about epilepsy and its triggers, not about clonus. Some examples:

- **Risk of another seizure.** In a 1985 study of people who had a first tonic-clonic seizure and were not started on medicine, a substantial proportion went on to have further seizures [@elwes1985]. Anyone who has had a first seizure should talk through their own risk with a specialist.
- **Choice of medicine.** A Cochrane review that pooled individual patient data from randomised trials found no clear overall difference between phenytoin and valproate used on their own for partial-onset or generalised tonic-clonic seizures, although the results were too imprecise to rule out important differences [@tudursmith2001].
- **Medicines as triggers.** A case report described a generalised tonic-clonic episode with loss of consciousness in a healthy adult shortly after being given remifentanil, a short-acting opioid used in anaesthesia. A single report cannot show how often this happens [@haber2001].
- **Low calcium.** Another case report described tonic-clonic seizures in a patient with primary hypoparathyroidism, a condition in which too little parathyroid hormone leads to low blood calcium, a recognised and treatable seizure trigger [@armelisasso2004].
- **Seizure alarms.** When four seizure-detection systems were tested on one patient with focal and generalised tonic and clonic seizures, each picked up only part of the seizures (roughly 40% to 78%), with different false-alarm rates; seizures that were not generalised or not rhythmic were often missed. The authors recommended testing a device carefully for each individual [@vandevel2014].""",
        },
        {
            "heading": "How is clonus treated?",
            "body": """Treatment depends on the cause and on whether the clonus is actually causing problems. Clonus that does not interfere with walking, sleep, comfort or care may need no specific treatment beyond managing the underlying condition. When it does cause trouble, for example a foot that bounces off a wheelchair footplate, painful spasms or falls, the options are broadly the same as for spasticity [@thibaut2013; @nice2012]:

- **Treating the cause** wherever possible.
- **Physiotherapy and stretching** to keep muscles at a healthy length, keep joints moving and practise everyday movements [@nice2012].
- **Splints and orthoses**, such as an ankle-foot orthosis, to hold a joint in a good position [@nice2012].
- **Oral medicines** such as baclofen or tizanidine. Trials, mostly in people with multiple sclerosis, suggest they work better than a placebo for spasticity and are roughly equally effective. Both have side effects (tizanidine, for example, can affect liver tests), so they are started and adjusted by a clinician [@chou2004].
- **Botulinum toxin injections** into selected muscles when the problem is limited to one area, usually combined with stretching or splinting [@nice2012; @thibaut2013].
- **Intrathecal baclofen**, given by a small implanted pump into the fluid around the spinal cord, for severe spasticity that has not responded to other treatments [@nice2012].

**Serotonin toxicity is different and urgent.** The drugs causing it need to be stopped, and the person should be assessed in hospital, where care may include supportive treatment, sedation and sometimes a medicine that blocks serotonin [@boyer2005]. If you suspect it, seek emergency help and let the medical team decide which medicines to stop.""",
        },
        {
            "heading": "Can clonus be prevented?",
            "body": """Once the nerve pathways have been damaged, clonus itself cannot usually be prevented. Some of its causes and knock-on effects can, however, be made less likely:

- **Reducing the risk of stroke**, for example by treating high blood pressure and not smoking, lowers the chance of one common cause; spasticity develops in a substantial minority of people after a stroke, with estimates varying widely between studies [@thibaut2013].
- **Avoiding risky combinations of serotonergic medicines**, including herbal remedies such as St John's wort, and telling every prescriber and pharmacist what you take, lowers the risk of serotonin toxicity [@boyer2005].
- **Regular stretching, good positioning and early physiotherapy** help stop muscles shortening and joints stiffening, complications that make spasticity and clonus harder to manage [@nice2012].""",
        },
        {
            "heading": "When should you see a doctor?",
            "body": """See a doctor if you notice new rhythmic jerking of a foot or another limb, or if you are told you have clonus and do not know why. Sustained clonus points to a problem in the brain or spinal cord, so its cause needs to be found [@boyraz2015].

Get **urgent** medical help the same day if new clonus comes with weakness, numbness or tingling in the legs, back pain, or a change in bladder or bowel control, because these can be signs of pressure on the spinal cord. Call emergency services straight away for sudden weakness of the face, arm or leg, or sudden difficulty speaking, which may be a stroke.

Treat it as an **emergency** if clonus, twitching or muscle stiffness appears together with agitation or confusion, heavy sweating, shivering, diarrhoea, fever or a racing heart after starting, increasing or combining medicines or drugs that affect serotonin. This may be serotonin toxicity [@boyer2005; @dunkley2003]. A seizure that lasts more than five minutes, or seizures that follow one another without recovery in between, also need emergency help.""",
        },
    ],
}

SPASTICITY = {
    "title": "Spasticity: stiff muscles after a brain or spinal cord injury",
    "slug": "spasticity",
    "summary": (
        "Spasticity is muscle stiffness that gets stronger the faster a limb is moved. It happens "
        "when the nerve pathways that run from the brain through the spinal cord are damaged, for "
        "example by a stroke, multiple sclerosis or cerebral palsy. Therapy, splints, medicines and "
        "injections can help, chosen to meet each person's own goals."
    ),
    "topic": "Neurology",
    "byline": "Clonus editorial team",
    "sections": [
        {
            "heading": "What is spasticity?",
            "body": """Spasticity is a kind of muscle stiffness that comes from the nervous system, not from the muscles themselves. Its classic definition has two parts. First, a muscle resists being stretched more strongly the faster it is stretched: moved slowly, a spastic arm or leg may give way, but moved quickly it catches and tightens. Second, tendon reflexes such as the knee jerk are exaggerated. Both happen because the stretch reflex in the spinal cord has become over-excitable, and spasticity is one part of a wider pattern of problems called the *upper motor neuron syndrome* [@lance1980, p. 485].

People living with spasticity often describe it as tightness or heaviness, as muscles that pull a joint into a bent or straightened position, or as spasms that come on by themselves. Some people with spasticity also have clonus, a rhythmic beating of a muscle after a sudden stretch, which is most easily seen at the ankle [@boyraz2015].

Spasticity is a sign of an underlying condition rather than a diagnosis in its own right. It can be so mild that it is hardly noticed, or severe enough to get in the way of walking, sitting, dressing or washing.""",
        },
        {
            "heading": "What causes spasticity?",
            "body": """Spasticity follows damage to the *upper motor neurons*: the nerve pathways that run from the brain down through the spinal cord and normally keep the spinal cord's stretch reflexes in check. When that control from above is lost, the stretch reflexes become over-excitable [@lance1980, p. 485]. Exactly how this develops after an injury is still not fully understood [@thibaut2013].

Conditions that can cause spasticity include:

- **stroke**: about three in ten people develop spasticity after a stroke [@thibaut2013]
- **multiple sclerosis**, the condition in which most trials of oral medicines for spasticity have been carried out [@chou2004]
- **cerebral palsy** and other brain conditions in children that do not get worse over time, although their effects can change as a child grows [@nice2012]
- **motor neurone disease** (amyotrophic lateral sclerosis, ALS), which damages the upper motor neurons as well as the nerve cells that connect directly to the muscles [@kiernan2011]
- spinal cord injury and brain injury""",
        },
        {
            "heading": "How is spasticity assessed?",
            "body": """A doctor or physiotherapist moves each joint slowly and then more quickly, feeling for the catch and the resistance that spasticity causes, and also checks strength, reflexes and how the person moves. Rating scales are used to put a number on spasticity and to follow it over time. The most widely used is the Modified Ashworth Scale, which grades how much a muscle resists being moved; the Tardieu scale compares a slow stretch with a fast one, in keeping with the definition of spasticity as stiffness that depends on speed [@thibaut2013].

A score on a scale is only part of the picture. Just as important is what the stiffness stops a person from doing, whether it causes pain, and what they want treatment to achieve. For children and young people, the NICE guideline asks professionals to agree assessments and goals with the child and their family, to record those goals, and to build a management programme around them [@nice2012].""",
        },
        {
            "heading": "Does spasticity always need treatment?",
            "body": """No. Mild spasticity that causes no pain and does not get in the way of daily life may need nothing more than keeping active and keeping an eye on it. Treatment is worth considering when spasticity causes problems such as pain, muscle spasms, difficulty keeping a comfortable posture, or trouble with everyday activities and personal care [@nice2012].

Left alone, muscles that are held tight for long periods can shorten, and joints can stiffen in one position, which is called a *contracture*. For this reason, the NICE guideline recommends that children and young people with spasticity are checked regularly for how well treatments are working, for any worsening of their spasticity, and for knock-on problems such as pain or contractures, with their goals updated as they grow [@nice2012].""",
        },
        {
            "heading": "How is spasticity treated?",
            "body": """Treatment usually combines several approaches, chosen to fit the person's goals:

- **Physiotherapy and occupational therapy**: stretching, exercise, positioning and practice of everyday tasks. After injections or surgery, an adapted therapy programme is an essential part of care [@nice2012].
- **Splints and orthoses**, such as an ankle-foot orthosis, to hold a joint in a good position and help with standing or walking [@nice2012].
- **Oral medicines**. Baclofen, tizanidine and dantrolene have been shown to work better than a placebo, mainly in trials of people with multiple sclerosis, and baclofen and tizanidine seem to work about equally well. All of them can cause side effects; dantrolene carries a small risk of serious liver damage, and tizanidine can raise liver enzymes in blood tests [@chou2004]. For children and young people, the NICE guideline includes diazepam and baclofen among the oral medicines to consider [@nice2012].
- **Botulinum toxin injections** into chosen muscles, when spasticity affects one area such as the calf or the arm, usually combined with stretching, splints or therapy [@nice2012; @thibaut2013].
- **Intrathecal baclofen**, in which a small pump placed under the skin delivers baclofen into the fluid around the spinal cord, for spasticity that still causes pain, spasms or difficulties with posture, activities or care despite less invasive treatments [@nice2012].
- **Surgery**. For some children and young people, operations on muscles, tendons or bones, or an operation on selected nerve roots in the lower back called selective dorsal rhizotomy, may be considered by a specialist team [@nice2012].

For spasticity after a stroke, there is no single agreed treatment plan, and better trials are still needed to show which treatments work best [@thibaut2013].""",
        },
        {
            "heading": "What care should children with spasticity get?",
            "body": """The NICE guideline on spasticity in children and young people up to their 19th birthday recommends that every child diagnosed with spasticity is referred without delay to a network of professionals experienced in spasticity, with local expertise in paediatrics, nursing, physiotherapy and occupational therapy, and access to orthotics, orthopaedic surgery or neurosurgery, and paediatric neurology [@nice2012].

Under the guideline, a child referred to this team should be seen promptly by a physiotherapist and, where needed, an occupational therapist. The management programme should be planned together with the child and their parents or carers, suit that child and focus on agreed goals. Families should get information suited to the child's age and development, regular chances to talk things through, and advice on how different treatments may affect the child's development [@nice2012].""",
        },
        {
            "heading": "When should I get help?",
            "body": """See your doctor if you notice new stiffness, spasms or a limb that catches when it moves and you do not know why, or if known spasticity becomes worse, more painful, or starts to affect sleep, movement or care. Worsening spasticity and new problems such as pain or stiffening joints are among the things that a care team should watch for [@nice2012].

If you take a medicine for spasticity, do not stop it suddenly without advice; ask the prescriber how to reduce it safely. Tell your doctor if you feel very drowsy or weak, and seek advice promptly if you notice yellowing of the skin or eyes while taking dantrolene or tizanidine, because both can affect the liver [@chou2004]. If you have a baclofen pump, contact your pump team straight away if its alarm sounds or your stiffness suddenly returns.

Call emergency services at once for sudden weakness or numbness of the face, arm or leg, or sudden difficulty speaking, because these may be signs of a stroke.""",
        },
    ],
}

SEROTONIN_SYNDROME = {
    "title": "Serotonin syndrome: when too much serotonin affects the body",
    "slug": "serotonin-syndrome",
    "summary": (
        "Serotonin syndrome, also called serotonin toxicity, is a reaction to too much serotonin "
        "activity in the nervous system, usually after combining medicines or drugs that raise "
        "serotonin, raising a dose or taking an overdose. It ranges from shivering and sweating to "
        "a life-threatening emergency with a high temperature and rigid muscles, and it usually "
        "settles once the drugs causing it are stopped."
    ),
    "topic": "Medicines",
    "byline": "Clonus editorial team",
    "sections": [
        {
            "heading": "What is serotonin syndrome?",
            "body": """Serotonin is a chemical messenger that nerve cells use to pass signals to one another, in the brain and spinal cord and in other parts of the body. Many medicines work by increasing its effect. Serotonin syndrome is what happens when there is too much serotonin activity in the nervous system [@boyer2005]. It is also called *serotonin toxicity* [@dunkley2003].

It is best thought of as a range rather than an all-or-nothing illness: mild cases may hardly be noticed, while severe cases can be life-threatening. It is not an allergy or a rare individual reaction, but a predictable result of too much serotonin effect [@boyer2005]. That is why it is linked to higher doses, overdoses and combinations of drugs.

The signs fall into three groups [@boyer2005]:

- changes in mental state, such as restlessness, agitation or confusion
- changes in the body's automatic functions, such as sweating, a fast heartbeat and a raised temperature
- muscle and nerve signs, such as trembling, twitching, overactive reflexes and clonus, a rhythmic beating of a muscle""",
        },
        {
            "heading": "What causes serotonin syndrome?",
            "body": """Serotonin syndrome is caused by medicines or drugs that raise serotonin activity. It can follow an overdose or an interaction between two or more such drugs taken together, and it can occasionally happen with ordinary doses [@boyer2005].

Drugs that have been linked to it include [@boyer2005]:

- many antidepressants, including selective serotonin reuptake inhibitors (SSRIs), venlafaxine, clomipramine and monoamine oxidase inhibitors (MAOIs)
- some opioid painkillers, such as tramadol, pethidine (meperidine) and fentanyl
- dextromethorphan, a cough suppressant found in some cold and cough remedies
- linezolid, an antibiotic
- lithium
- St John's wort, a herbal remedy
- recreational drugs such as MDMA (ecstasy)

Some of the most serious reactions reported have involved an MAOI antidepressant combined with another drug that raises serotonin [@boyer2005]. Being on one of these medicines does not mean it is unsafe: many people take them, sometimes together, under a prescriber's supervision. What matters is that everyone prescribing or dispensing your medicines knows everything you take.""",
        },
        {
            "heading": "What are the symptoms?",
            "body": """Symptoms usually start quickly, often within hours of starting a medicine, increasing a dose, adding another drug or taking an overdose [@boyer2005].

- **Mild**: shivering, sweating, a fast heartbeat, wide pupils, trembling or occasional twitching, and brisk reflexes [@boyer2005]. The twitches can be *myoclonus*: sudden, brief, shock-like jerks, which also have many causes other than medicines [@caviness2004].
- **Moderate**: a raised temperature, agitation or restlessness, an overactive gut, clonus at the ankles, and slow side-to-side movements of the eyes, known as ocular clonus [@boyer2005].
- **Severe**: a very high temperature, rigid muscles and confusion. Severe cases can lead to dangerous complications such as muscle breakdown, seizures and kidney failure [@boyer2005].

A severe case can get worse quickly, which is why early signs after a change in medicines should be taken seriously [@boyer2005].""",
        },
        {
            "heading": "How is serotonin syndrome diagnosed?",
            "body": """No single blood test confirms serotonin syndrome. The diagnosis is made from what a person has taken and what a doctor finds on examination [@boyer2005]. Expect to be asked about every medicine, supplement, herbal remedy and recreational drug you use, and about any recent changes, and to have your temperature, pulse, muscles, reflexes and eyes checked.

Many doctors use the **Hunter criteria**. They were developed from the records of more than 2,000 people admitted to hospital after an overdose of a drug that raises serotonin. Only a handful of findings were needed to recognise serotonin toxicity: clonus (triggered at the ankle, happening on its own, or in the eyes), agitation, heavy sweating, trembling and overactive reflexes, with muscle stiffness and a temperature above 38 °C added for the most severe cases. Compared with a specialist toxicologist's diagnosis, these rules picked up 84% of cases against 75% for the older Sternbach criteria, and were slightly less likely to give false alarms [@dunkley2003].

Doctors also think about other conditions that can look similar. One is neuroleptic malignant syndrome, a reaction to antipsychotic medicines that tends to develop more slowly, over days; another is poisoning with anticholinergic drugs, which typically causes hot, dry skin rather than sweating [@boyer2005]. Blood tests and other checks help rule out such conditions, and infections, and look for complications.""",
        },
        {
            "heading": "How is it treated?",
            "body": """Treatment depends on how severe the reaction is, and it should be directed by a medical team [@boyer2005]:

- **Stopping the drugs** that raise serotonin is the first step.
- **Supportive care**, such as fluids and close monitoring of temperature, heart rate and blood pressure.
- **Sedatives** called benzodiazepines, to calm agitation and muscle overactivity.
- **Cyproheptadine**, a medicine that blocks serotonin, may be given in moderate cases.
- **Intensive care** for severe cases, which may need measures to bring the temperature down, deep sedation, medicines that relax the muscles completely and a breathing machine.

Ordinary fever medicines such as paracetamol do not help, because the high temperature comes from overactive muscles rather than from the body's thermostat [@boyer2005].

Many cases settle within about a day of stopping the drugs and starting treatment, although symptoms can last longer after medicines that stay in the body for a long time [@boyer2005]. Before any medicine is restarted, the prescriber should review which ones are needed and how to avoid the same combination again.""",
        },
        {
            "heading": "Can serotonin syndrome be prevented?",
            "body": """Often, yes. Because serotonin syndrome is a predictable effect of too much serotonin activity, many cases can be avoided by knowing which drugs raise serotonin and avoiding unnecessary combinations of them [@boyer2005]. You can help by:

- keeping an up-to-date list of everything you take, including medicines bought without a prescription, herbal remedies such as St John's wort, and recreational drugs, and showing it to every doctor, dentist and pharmacist you see [@boyer2005]
- asking a pharmacist before taking a cough or cold remedy, or a new painkiller, if you take an antidepressant
- following your prescriber's instructions exactly when switching from one antidepressant to another, including any recommended gap between them
- watching for early signs, such as shivering, sweating, trembling or restlessness, in the first hours after starting a medicine or increasing its dose [@boyer2005]

Do not stop a prescribed antidepressant suddenly because of worries about serotonin syndrome; talk to your prescriber first, unless you have severe symptoms that need emergency care.""",
        },
        {
            "heading": "When should I get emergency help?",
            "body": """Call emergency services or go to an emergency department straight away if, after starting, increasing or combining medicines or drugs that raise serotonin, you or someone with you has any of these:

- a high temperature, or feeling very hot with heavy sweating
- stiff or rigid muscles, or jerking or twitching that cannot be controlled
- confusion, severe agitation, or drowsiness that makes it hard to stay awake
- a seizure, fainting, or a very fast or irregular heartbeat

Severe serotonin syndrome is a medical emergency and can get worse quickly [@boyer2005]. Clonus, agitation and heavy sweating appearing together after taking such a drug are strong signs of serotonin toxicity [@dunkley2003]. Anyone who may have taken an overdose needs emergency help even if they seem well at first.

For milder symptoms, such as shivering, sweating, diarrhoea, trembling or restlessness, that start after a change in medicines, contact a doctor, pharmacist or urgent advice line the same day. If you can, take your medicines, or a list of them, with you.""",
        },
    ],
}

ARTICLES = [CLONUS, SPASTICITY, SEROTONIN_SYNDROME]
