"""Small hand-written returns for the importer's tests (the synthetic generator makes the big ones)."""
from pathlib import Path

CHILD = """
  <Child>
    <ChildIdentifiers>
      <LAchildID>{child}</LAchildID>
      <UPN>A12345678{number:04d}</UPN>
      <PersonBirthDate>2012-05-17</PersonBirthDate>
      <GenderCurrent>1</GenderCurrent>
    </ChildIdentifiers>
    <ChildCharacteristics>
      <Ethnicity>WBRI</Ethnicity>
      <Disabilities><Disability>NONE</Disability></Disabilities>
    </ChildCharacteristics>
    <CINdetails>
      <CINreferralDate>{referral}</CINreferralDate>
      <ReferralSource>6</ReferralSource>
      <PrimaryNeedCode>N1</PrimaryNeedCode>
{referral_icpc}      <Assessments>
        <AssessmentActualStartDate>2020-08-03</AssessmentActualStartDate>
        <AssessmentAuthorisationDate>2020-09-01</AssessmentAuthorisationDate>
        <FactorsIdentifiedAtAssessment>
          <AssessmentFactors>3B</AssessmentFactors>
          <AssessmentFactors>{factor}</AssessmentFactors>
        </FactorsIdentifiedAtAssessment>
      </Assessments>
      <Section47>
        <S47ActualStartDate>2020-08-24</S47ActualStartDate>
        <InitialCPCtarget>2020-09-14</InitialCPCtarget>
        <DateOfInitialCPC>2020-09-14</DateOfInitialCPC>
        <ICPCnotRequired>0</ICPCnotRequired>
      </Section47>
      <ReferralNFA>0</ReferralNFA>
      <ChildProtectionPlans>
        <CPPstartDate>{plan_start}</CPPstartDate>
        <InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>
        <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
        <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
        <Reviews><CPPreviewDate>2020-12-01</CPPreviewDate></Reviews>
      </ChildProtectionPlans>
    </CINdetails>
  </Child>"""

MESSAGE = """<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>{year}</Year><ReferenceDate>{year}-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>{la}</LEA><SoftwareCode>Test</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo><DateTime>{year}-05-01T09:00:00</DateTime></Source>
  </Header>
  <Children>{children}
  </Children>
</Message>
"""


def cin_xml(children=3, *, year=2021, la="210", icpc_on_referral=True, **child_values):
    """icpc_on_referral: the conference is recorded on the referral as well as in its Section 47 enquiry, as some
    systems export it (the indicators count it once; DfE rule 2884 flags it once the return is checked)."""
    values = {"referral": "2020-07-01", "factor": "11A", "plan_start": "2020-09-14", "category": "NEG",
              "referral_icpc": "      <DateOfInitialCPC>2020-09-14</DateOfInitialCPC>\n" if icpc_on_referral else ""}
    values.update(child_values)
    body = "".join(CHILD.format(child=f"C{n:05d}", number=n, **values) for n in range(1, children + 1))
    return MESSAGE.format(year=year, la=la, children=body)


def write(folder, name, text):
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def ssda903(folder, *, header_rows=None, episode_rows=None):
    header_rows = header_rows if header_rows is not None else [
        "L001,1,17/05/2008,WBRI,A123456789012,,", "L002,2,01/02/2015,BAFR,,0,"]
    episode_rows = episode_rows if episode_rows is not None else [
        "L001,01/06/2019,S,C2,N1,U1,PR1,01/09/2020,X1,CHRON,SE1 1AA,SE5 9ZZ,SC123456",
        "L001,01/09/2020,P,C2,N1,U4,PR1,,,,SE1 1AA,SE15 1AB,",
        "L002,10/10/2020,S,V2,N2,K2,PR1,05/01/2021,E13,,SE1 2BB,SE1 3CC,",
    ]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    header = write(folder, "header.csv", HEADER + "\n".join(header_rows) + "\n")
    episodes = write(folder, "episodes.csv", EPISODES + "\n".join(episode_rows) + "\n")
    return [header, episodes]
